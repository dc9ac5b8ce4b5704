import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import FleetView from "./FleetView.svelte";
import { FleetSession } from "./session.svelte";
import { relayGroupSummary } from "./relaySummary";
import { demoGateway, limits } from "../../test/fakeBackend";
import { fiveDemoMeters, fleetBackend, ref, reportOf, rustError, type FleetHandlers } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";
import type { RelayGroupForm } from "../ipc";

afterEach(() => clearMocks());

const JOB = 12;

async function openRelays(handlers: FleetHandlers = {}) {
  const backend = fleetBackend({ handlers: { start_relay_groups: () => JOB, ...handlers } });
  render(FleetView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, session: new FleetSession() });
  await fireEvent.click(byId("fleet-select-all"));
  await fireEvent.click(byId("fleet-mode-relays"));
  await appear("relays-review");
  return backend;
}

const typeNumber = (id: string, value: string) => fireEvent.input(byId(id), { target: { value } });

describe("Relay groups", () => {
  it("sends the form Rust takes, confirms a plain summary, then runs the job", async () => {
    const backend = await openRelays();
    await fireEvent.change(byId("relays-relay"), { target: { value: "Relay_2" } });
    await fireEvent.click(byId("relays-status-close"));
    await fireEvent.click(byId("relays-timed"));
    await typeNumber("relays-duration", "15");
    await typeNumber("relays-group-size", "2");
    await typeNumber("relays-gap", "30");
    // The V3 meter has no relays: four of the five take part.
    expect(byId("relays-v3-note").textContent).toContain("1 meter of the selection is a V3 Omnimeter");
    expect(byId("relays-summary").textContent).toBe(
      "Close Relay 2 on 4 meters, 2 at a time, 30 s apart, each for 15 s, then it reverts: about 30 s.",
    );

    await fireEvent.click(byId("relays-review"));
    await appear("relays-confirm");
    const form: RelayGroupForm = {
      meters: fiveDemoMeters.map((m) => ref(m.address)),
      relay: "Relay_2",
      status: "close",
      durationSeconds: 15,
      groupSize: 2,
      gapSeconds: 30,
    };
    expect(backend.callsOf("start_relay_groups")).toEqual([{ form }]);
    expect(screen.getByRole("alertdialog").textContent).toContain("Close Relay 2 on 4 meters, 2 at a time, 30 s apart");
    expect(backend.runs).toHaveLength(0);

    await fireEvent.click(byId("relays-confirm"));
    await waitFor(() => expect(backend.runs).toHaveLength(1));
    expect(backend.runs[0].jobId).toBe(JOB);
    backend.runs[0].finish(
      reportOf(
        fiveDemoMeters.map((m) => ({
          at: ref(m.address),
          state:
            m.version === "V3"
              ? { state: "skipped", reason: { why: "cannotTake", reason: "a V3 meter has no relays" } }
              : { state: "confirmed" },
        })),
      ),
    );
    await appear("fleet-report");
    expect(document.querySelector<HTMLElement>('[data-job-meter="000000030001"]')!.dataset.skip).toBe("cannotTake");
    expect(byId("fleet-report-confirmed").textContent).toBe("4");
  });

  it("shows Rust's message next to a group size of 0, and neither confirms nor runs", async () => {
    const backend = await openRelays({
      start_relay_groups: (args) =>
        (args.form as RelayGroupForm).groupSize === 0
          ? rustError("relay_groups_size_0")
          : JOB,
    });
    await typeNumber("relays-group-size", "0");
    await fireEvent.click(byId("relays-review"));
    const message = await appear("relays-group_size-error");
    expect(message.textContent).toBe("group_size: 0 is not allowed; 1 or more meters");
    const field = byId("relays-group-size");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toBe("relays-group_size-error");
    expect(byId("relays-confirm")).toBeNull();
    expect(backend.runs).toHaveLength(0);

    await typeNumber("relays-group-size", "3");
    expect(byId("relays-group_size-error")).toBeNull();
    expect(field.getAttribute("aria-invalid")).toBeNull();
  });

  it("refuses a timed action of 0 seconds before asking Rust, as on a meter's Relays tab", async () => {
    const backend = await openRelays();
    await fireEvent.click(byId("relays-timed"));
    await typeNumber("relays-duration", "0");
    await fireEvent.click(byId("relays-review"));
    expect(byId("relays-duration-error").textContent).toContain("1 to 9999 seconds for a timed action");
    expect(backend.callsOf("start_relay_groups")).toEqual([]);
  });
});

describe("relayGroupSummary", () => {
  it("says how long the groups take", () => {
    const base = { status: "close", relay: "Relay_1", groupSize: 3, gapSeconds: 30, durationSeconds: 0 };
    expect(relayGroupSummary({ ...base, meterCount: 12 })).toBe(
      "Close Relay 1 on 12 meters, 3 at a time, 30 s apart, and hold: about 2 min",
    );
    expect(relayGroupSummary({ ...base, meterCount: 3 })).toBe("Close Relay 1 on 3 meters at once, and hold");
    expect(relayGroupSummary({ ...base, status: "open", meterCount: 1000, groupSize: 10, gapSeconds: 60 })).toBe(
      "Open Relay 1 on 1,000 meters, 10 at a time, 60 s apart, and hold: about 1 h 39 min",
    );
  });
});
