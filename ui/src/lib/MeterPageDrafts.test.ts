// Unsent edits outlive their editors: a tab switch, another meter (the page is re-created per
// meter) and a restart (the drafts read back from Rust) all find them, marked on their tabs.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import MeterPage from "./MeterPage.svelte";
import { drafts } from "./drafts.svelte";
import { demoGateway, fakeBackend, knownState, limits, v4Meter } from "../test/fakeBackend";
import { appear, byId } from "../test/queries";
import type { Draft } from "./ipc";

afterEach(() => clearMocks());

const target = { gatewayId: v4Meter.gatewayId, meter: v4Meter.address };

/** The Rust side: nothing known of the meter; every draft write is recorded, newest last. */
function backend(kept: Draft[] = []) {
  const writes: (Draft | null)[] = [];
  mockIPC(
    fakeBackend({
      drafts: kept,
      onDraft: (d) => writes.push(d),
      handlers: {
        known_state: () => knownState(),
        time_zones: () => ["UTC"],
        meter_clock_now: () => ({ params: {}, display: "now" }),
      },
    }),
  );
  return writes;
}

function openPage() {
  return render(MeterPage, { meter: v4Meter, gateway: demoGateway, limits, onedit: () => {} });
}

async function openTab(name: string) {
  await fireEvent.click(screen.getByRole("tab", { name: new RegExp(`^${name}`) }));
}

const choose = (select: HTMLElement, value: string) => fireEvent.change(select, { target: { value } });
const marked = (tab: string) => byId(`tab-${tab}-unsent`) !== null;

describe("drafts on the meter page", () => {
  it("keeps edits in three editors through tab switches and a new page, each tab marked", async () => {
    const writes = backend();
    const page = openPage();

    await openTab("Time of use");
    await choose(await appear("tou-weekend"), "4");
    await appear("tou-unsaved");
    await openTab("Settings");
    const ct = await appear<HTMLSelectElement>("settings-ct");
    await waitFor(() => expect(ct.closest("fieldset")!.disabled).toBe(false));
    await choose(ct, "400");
    await appear("settings-unsent");
    await openTab("Display");
    await fireEvent.click(await waitFor(() => document.querySelector<HTMLElement>('button[data-add="kWh_Tot"]')!));
    await waitFor(() => expect(marked("display")).toBe(true));
    expect([marked("tou"), marked("settings"), marked("relays")]).toEqual([true, true, false]);

    // Another meter and back: the page is built anew, and starts from the drafts.
    page.unmount();
    openPage();
    await openTab("Time of use");
    expect((await appear<HTMLSelectElement>("tou-weekend")).value).toBe("4");
    expect(byId("tou-unsaved").textContent).toBe("Unsent changes");
    await openTab("Settings");
    await waitFor(() => expect(byId<HTMLSelectElement>("settings-ct").value).toBe("400"));
    await openTab("Display");
    await waitFor(() => expect(document.querySelector('ol#lcd-chosen > li[data-item="kWh_Tot"]')).toBeTruthy());
    expect([marked("tou"), marked("settings"), marked("display")]).toEqual([true, true, true]);

    await drafts.settled();
    const kept = new Map(writes.filter((w) => w !== null).map((w) => [w.part, w.value]));
    expect((kept.get("tou") as { weekend_schedule: number }).weekend_schedule).toBe(4);
    expect((kept.get("settings") as { ct: number }).ct).toBe(400);
    expect(kept.get("lcd")).toEqual(["kWh_Tot"]);
  });

  it("restores a draft kept from before a restart, and Discard empties it", async () => {
    const program = {
      ...JSON.parse(JSON.stringify((await import("./editors/tou/program")).defaultProgram(limits))),
      holiday_schedule: 5,
    };
    const writes = backend([{ ...target, part: "tou", value: program, savedAt: "2026-12-05T17:00:00Z" }]);
    await drafts.load();
    openPage();
    expect(marked("tou")).toBe(true);
    await openTab("Time of use");
    expect((await appear<HTMLSelectElement>("tou-holiday")).value).toBe("5");

    await fireEvent.click(await appear("tou-discard"));
    expect(byId<HTMLSelectElement>("tou-holiday").value).toBe("1");
    expect(byId("tou-unsaved")).toBeNull();
    expect(marked("tou")).toBe(false);
    await drafts.settled();
    expect(writes.at(-1)).toBeNull();
    expect(drafts.has(target, "tou")).toBe(false);
  });

  it("builds a tab once: coming back finds what it showed", async () => {
    backend();
    openPage();
    await openTab("Time of use");
    const calendar = await waitFor(() => document.querySelector("#tou-calendar")!);
    await openTab("Settings");
    expect(byId("panel-tou").hidden).toBe(true);
    await openTab("Time of use");
    expect(document.querySelector("#tou-calendar")).toBe(calendar);
  });
});
