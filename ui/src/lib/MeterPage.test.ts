import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import MeterPage from "./MeterPage.svelte";
import { demoGateway, fakeBackend, knownState, limits, v3Meter, v4Meter } from "../test/fakeBackend";

afterEach(() => clearMocks());

function renderPage(meter = v4Meter) {
  mockIPC(
    fakeBackend({
      handlers: {
        known_state: () => knownState(),
        time_zones: () => ["UTC"],
        meter_clock_now: () => ({ params: {}, display: "now" }),
      },
    }),
  );
  render(MeterPage, { meter, gateway: demoGateway, limits, onedit: () => {} });
}

/** The meter's tabs (an editor may have tabs of its own, such as the TOU schedules). */
const meterTabs = () => within(screen.getByRole("tablist", { name: "Meter settings" })).getAllByRole("tab");
const tabNames = () => meterTabs().map((t) => t.textContent);

describe("MeterPage", () => {
  it("offers every editor as a tab on a V4 meter, relays first", () => {
    renderPage();
    expect(tabNames()).toEqual(["Relays", "Display", "Time of use", "Settings", "Tariff data", "Advanced"]);
    const selected = meterTabs().find((t) => t.getAttribute("aria-selected") === "true") as HTMLElement;
    expect(selected.textContent).toBe("Relays");
    expect(screen.getByRole("tabpanel").getAttribute("aria-labelledby")).toBe(selected.id);
  });

  it("leaves out relays and display on a V3 meter and says why", () => {
    renderPage(v3Meter);
    expect(tabNames()).toEqual(["Time of use", "Settings", "Tariff data", "Advanced"]);
    expect(document.getElementById("v3-note")?.textContent).toContain("no controllable relays");
  });

  it("moves between tabs with the arrow keys, Home and End, keeping one tab in the tab order", async () => {
    renderPage();
    const relays = screen.getByRole("tab", { name: "Relays" });
    relays.focus();
    await fireEvent.keyDown(relays, { key: "ArrowRight" });
    const display = screen.getByRole("tab", { name: "Display" });
    expect(display.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(display);
    await fireEvent.keyDown(display, { key: "End" });
    expect(document.activeElement?.textContent).toBe("Advanced");
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowRight" });
    expect(document.activeElement?.textContent).toBe("Relays");
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: "ArrowLeft" });
    expect(document.activeElement?.textContent).toBe("Advanced");
    const inTabOrder = meterTabs().filter((t) => t.tabIndex === 0);
    expect(inTabOrder.map((t) => t.textContent)).toEqual(["Advanced"]);
  });
});
