import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { fleetBackend, historyOf } from "./test/fleetBackend";
import { appear, byId } from "./test/queries";

afterEach(() => clearMocks());

describe("App views", () => {
  it("switches between Meters, Fleet and History, marking the current one", async () => {
    const log = historyOf(2);
    fleetBackend({ handlers: { history: log.history, history_count: log.history_count } });
    render(App);
    await screen.findByText("Main service panel");
    expect(byId("view-meters").getAttribute("aria-current")).toBe("page");

    await fireEvent.click(byId("view-fleet"));
    expect(byId("view-fleet").getAttribute("aria-current")).toBe("page");
    expect(byId("view-meters").getAttribute("aria-current")).toBeNull();
    await appear("fleet-meters");
    // The meter list is hidden, not gone: a meter's unsaved edits survive a look at the fleet.
    expect(screen.queryByRole("navigation", { name: "Gateways and meters" })).toBeNull();
    expect(document.getElementById("meter-search")).not.toBeNull();

    await fireEvent.click(byId("view-history"));
    await appear("history-table");
    expect(byId("fleet-meters")).toBeNull();

    await fireEvent.click(byId("view-meters"));
    expect(screen.getByRole("navigation", { name: "Gateways and meters" })).toBeTruthy();
    expect(byId("history-table")).toBeNull();
  });

  it("keeps the fleet selection while another view is shown", async () => {
    fleetBackend();
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Fleet" }));
    await fireEvent.click(await appear("fleet-select-all"));
    expect(byId("fleet-selected-count").textContent).toContain("5 of 5 meters selected");
    await fireEvent.click(byId("view-meters"));
    await fireEvent.click(byId("view-fleet"));
    expect((await appear("fleet-selected-count")).textContent).toContain("5 of 5 meters selected");
  });
});
