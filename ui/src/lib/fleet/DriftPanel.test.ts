import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import FleetView from "./FleetView.svelte";
import { FleetSession } from "./session.svelte";
import { demoGateway, limits } from "../../test/fakeBackend";
import { fiveDemoMeters, fleetBackend, previewOf, ref } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";
import type { DriftRow, FleetMeterRef } from "../ipc";

afterEach(() => clearMocks());

const [main, hvac, barn, ev, guest] = fiveDemoMeters.map((m) => m.address);
const drift: DriftRow[] = [
  { at: ref(main), status: { drift: "inLine", basis: "recorded" } },
  {
    at: ref(hvac),
    status: {
      drift: "differs",
      basis: "recorded",
      differences: [{ path: "display_fields", label: "Display list", expected: "kWh total, reverse kWh", actual: "kWh total" }],
      unknown: [],
    },
  },
  { at: ref(barn), status: { drift: "cannotTake", reason: "SetLCD needs a V4 or V5 meter" } },
  {
    at: ref(ev),
    status: {
      drift: "differs",
      basis: "recorded",
      differences: [{ path: "display_fields", label: "Display list", expected: "kWh total, reverse kWh", actual: "volts" }],
      unknown: [],
    },
  },
  { at: ref(guest), status: { drift: "unknown", why: "nothing is recorded of this meter's display list" } },
];

describe("Drift", () => {
  it("lists each meter's drift and brings only the chosen ones in line through the bulk preview", async () => {
    const session = new FleetSession();
    const backend = fleetBackend({
      handlers: {
        drift_report: () => drift,
        preview_bulk: (args) =>
          previewOf(
            3,
            (args.meters as FleetMeterRef[]).map((at) => ({
              at,
              verdict: { verdict: "wouldChange", plan: { commands: [{ command: "SetLCD", params: {}, summary: "Display list" }], unchanged: [] } },
            })),
          ),
      },
    });
    render(FleetView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, session });
    await screen.findByRole("option", { name: "Office display (Display)" });
    await fireEvent.click(byId("fleet-select-all"));
    await fireEvent.click(byId("fleet-mode-drift"));
    await fireEvent.change(byId("fleet-drift-template"), { target: { value: "Office display" } });
    await fireEvent.click(byId("fleet-drift-check"));
    await appear("fleet-drift-table");
    expect(backend.callsOf("drift_report")).toEqual([{ template: "Office display", meters: fiveDemoMeters.map((m) => ref(m.address)) }]);

    const states = [...document.querySelectorAll<HTMLElement>("[data-drift-meter]")].map((r) => r.dataset.drift);
    expect(states).toEqual(["inLine", "differs", "cannotTake", "differs", "unknown"]);
    expect(document.querySelector(`[data-drift-meter="${hvac}"]`)!.textContent).toContain("Display list: kWh total, reverse kWh → kWh total");
    // Only a meter that differs, or may, can be chosen.
    expect(document.querySelector(`[data-drift-select="${main}"]`)).toBeNull();
    expect(document.querySelector(`[data-drift-select="${barn}"]`)).toBeNull();
    expect(byId<HTMLButtonElement>("fleet-drift-fix").disabled).toBe(true);

    await fireEvent.click(byId("fleet-drift-select-differing"));
    await fireEvent.click(document.querySelector<HTMLInputElement>(`[data-drift-select="${hvac}"]`)!);
    expect(byId("fleet-drift-fix").textContent).toContain("Bring 1 meter in line");
    expect(backend.callsOf("preview_bulk")).toEqual([]);

    await fireEvent.click(byId("fleet-drift-fix"));
    await waitFor(() => expect(backend.callsOf("preview_bulk")).toEqual([{ template: "Office display", meters: [ref(ev)] }]));
    expect(byId("fleet-mode-apply").getAttribute("aria-selected")).toBe("true");
    expect((await appear("fleet-preview-origin")).textContent).toContain("for the 1 meter chosen in the drift report");
    expect([...document.querySelectorAll<HTMLElement>("[data-preview-meter]")].map((r) => r.dataset.previewMeter)).toEqual([ev]);
    expect(byId("fleet-run").textContent).toContain("send to 1 meter");
    expect(backend.runs).toHaveLength(0);
  });
});
