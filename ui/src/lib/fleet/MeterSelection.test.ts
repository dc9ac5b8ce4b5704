import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import MeterSelection from "./MeterSelection.svelte";
import { FleetSession } from "./session.svelte";
import { demoGateway } from "../../test/fakeBackend";
import { fiveDemoMeters, manyMeters } from "../../test/fleetBackend";
import { byId } from "../../test/queries";

afterEach(() => clearMocks());

const rowBoxes = () => document.querySelectorAll<HTMLInputElement>("input[data-select-meter]");
const box = (address: string) => document.querySelector<HTMLInputElement>(`input[data-select-meter="${address}"]`);

function renderSelection(meters = fiveDemoMeters, gateways = [demoGateway]) {
  const session = new FleetSession();
  render(MeterSelection, { meters, gateways, selected: session.selected, filter: session.filter });
  return session;
}

async function selectGroup(value: string) {
  await fireEvent.change(byId<HTMLSelectElement>("fleet-select-by"), { target: { value } });
  await fireEvent.click(byId("fleet-select-by-add"));
}

describe("MeterSelection", () => {
  it("renders only the rows in view for 1,000 meters, and the rows further down when scrolled to", async () => {
    const { meters, gateways } = manyMeters(1000);
    renderSelection(meters, gateways);
    const rendered = rowBoxes().length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(byId("fleet-meters").getAttribute("aria-rowcount")).toBe("1001");

    const scroller = screen.getByRole("region", { name: "Meters to work on" });
    scroller.scrollTop = 500 * 34;
    await fireEvent.scroll(scroller);
    expect(box(meters[500].address)).not.toBeNull();
    expect(box(meters[0].address)).toBeNull();
    expect(rowBoxes().length).toBeLessThan(60);
  });

  it("selects every meter of a version, then of a gateway, and counts them", async () => {
    const { meters, gateways } = manyMeters(1000);
    const session = renderSelection(meters, gateways);
    await selectGroup("version:V3");
    const v3 = meters.filter((m) => m.version === "V3");
    expect(session.selected.size).toBe(v3.length);
    expect([...session.selected].every((a) => v3.some((m) => m.address === a))).toBe(true);
    expect(byId("fleet-selected-count").textContent).toContain(`${v3.length} of 1,000 meters selected`);

    await selectGroup("gateway:north");
    const union = meters.filter((m) => m.version === "V3" || m.gatewayId === "north");
    expect(session.selected.size).toBe(union.length);
  });

  it("select all takes the rows the filter shows; the count says how many selected are hidden", async () => {
    const session = renderSelection();
    await fireEvent.change(byId("fleet-filter-version"), { target: { value: "V4" } });
    expect([...rowBoxes()].map((b) => b.dataset.selectMeter)).toEqual(["000350000900", "000300004127", "000350001234"]);
    await fireEvent.click(byId("fleet-select-all"));
    expect([...session.selected].sort()).toEqual(["000300004127", "000350000900", "000350001234"]);

    await fireEvent.input(byId("fleet-filter"), { target: { value: "barn" } });
    await fireEvent.change(byId("fleet-filter-version"), { target: { value: "" } });
    expect([...rowBoxes()].map((b) => b.dataset.selectMeter)).toEqual(["000000030001"]);
    expect(byId("fleet-selected-count").textContent).toContain("3 of 5 meters selected (3 not shown by the filter)");
    await fireEvent.click(box("000000030001")!);
    expect(session.selected.has("000000030001")).toBe(true);
    await fireEvent.click(byId("fleet-select-none"));
    expect(session.selected.size).toBe(0);
  });

  it("the arrow keys move between row checkboxes, past the rows rendered so far", async () => {
    const { meters, gateways } = manyMeters(1000);
    renderSelection(meters, gateways);
    const last = rowBoxes().length - 1;
    const lastBox = rowBoxes()[last];
    lastBox.focus();
    await fireEvent.keyDown(lastBox, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement).toBe(box(meters[last + 1].address)));
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    await waitFor(() => expect(document.activeElement).toBe(box(meters[last].address)));
  });
});
