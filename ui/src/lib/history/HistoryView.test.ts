import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import HistoryView from "./HistoryView.svelte";
import { HISTORY_PAGE_SIZE, localMidnight } from "./historyFilter";
import { demoGateway, limits } from "../../test/fakeBackend";
import { fiveDemoMeters, fleetBackend, historyOf, rustError, type FleetHandlers } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";
import type { HistoryFilter } from "../ipc";

afterEach(() => clearMocks());

const rows = () => [...document.querySelectorAll<HTMLElement>("#history-table [data-entry-id]")];

function openHistory(total: number, handlers: FleetHandlers = {}) {
  const log = historyOf(total);
  const backend = fleetBackend({
    handlers: {
      history: log.history,
      history_count: log.history_count,
      check_meter_address: (args) => {
        const input = String(args.input);
        if (!/^\d{1,12}$/.test(input)) rustError("meter_address_12x");
        return input.padStart(12, "0");
      },
      ...handlers,
    },
  });
  render(HistoryView, { gateways: [demoGateway], meters: fiveDemoMeters, limits });
  return { ...backend, pages: log.pages };
}

describe("History", () => {
  it("a command another process sent shows at the top when the store changes, keeping the rows in view", async () => {
    let total = 3;
    const { entry } = historyOf(10);
    fleetBackend({
      handlers: {
        history: () => ({ entries: Array.from({ length: total }, (_, i) => entry(total - i)), next: null }),
        history_count: () => total,
      },
    });
    const view = render(HistoryView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, revision: 0 });
    await waitFor(() => expect(rows().map((r) => r.dataset.entryId)).toEqual(["3", "2", "1"]));
    await fireEvent.click(within(rows()[1]).getByRole("button"));
    const opened = (await appear("history-detail-msg-id")).textContent;

    total = 4; // `push3 send` recorded one more
    await view.rerender({ gateways: [demoGateway], meters: fiveDemoMeters, limits, revision: 1 });
    await waitFor(() => expect(rows().map((r) => r.dataset.entryId)).toEqual(["4", "3", "2", "1"]));
    expect(byId("history-count").textContent).toContain("4 commands");
    expect(byId("history-detail-msg-id").textContent).toBe(opened);
  });

  it("renders a screenful of 100,000 entries and asks for the next page by cursor near the end", async () => {
    const { pages } = openHistory(100_000);
    await waitFor(() => expect(byId("history-count").textContent).toContain("100,000 commands"));
    expect(byId("history-count").textContent).toContain("100 loaded");
    expect(pages).toEqual([{ filter: {}, limit: HISTORY_PAGE_SIZE }]);
    expect(rows()[0].dataset.entryId).toBe("100000");
    expect(rows().length).toBeLessThan(60);

    const scroller = screen.getByRole("region", { name: "Commands sent, newest first" });
    scroller.scrollTop = 90 * 34;
    await fireEvent.scroll(scroller);
    await waitFor(() => expect(pages).toHaveLength(2));
    expect(pages[1].before).toEqual({ timeMs: Date.UTC(2026, 10, 23, 12) + 99_901 * 1000, id: 99_901 });
    await waitFor(() => expect(byId("history-count").textContent).toContain("200 loaded"));
    expect(rows().length).toBeLessThan(60);
    expect(rows().some((r) => r.dataset.entryId === "99901")).toBe(true);

    // A new filter starts again at the newest entry, at the top.
    await fireEvent.change(byId("history-filter-outcome"), { target: { value: "failed" } });
    await waitFor(() => expect(pages.at(-1)).toEqual({ filter: { outcome: "failed" }, limit: HISTORY_PAGE_SIZE }));
    expect(scroller.scrollTop).toBe(0);
  });

  it("sends the filters as Rust takes them: the 'to' day included, dates at local midnight", async () => {
    const { pages, callsOf } = openHistory(3);
    await waitFor(() => expect(pages).toHaveLength(1));
    await fireEvent.change(byId("history-filter-outcome"), { target: { value: "interrupted" } });
    await fireEvent.change(byId("history-filter-command"), { target: { value: "SetRelay" } });
    await fireEvent.change(byId("history-filter-gateway"), { target: { value: "demo" } });
    await fireEvent.input(byId("history-from"), { target: { value: "2026-11-01" } });
    await fireEvent.input(byId("history-to"), { target: { value: "2026-11-30" } });
    await fireEvent.input(byId("history-filter-meter"), { target: { value: "350000900" } });
    await fireEvent.change(byId("history-filter-meter"));
    const expected: HistoryFilter = {
      meter: "000350000900",
      gatewayId: "demo",
      command: "SetRelay",
      outcome: "interrupted",
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
    };
    await waitFor(() => expect(pages.at(-1)?.filter).toEqual(expected));
    expect(callsOf("history_count").at(-1)).toEqual({ filter: expected });
    expect(localMidnight("2026-11-30", 1)).toBe(expected.to);

    await fireEvent.input(byId("history-filter-text"), { target: { value: "relay 1" } });
    await waitFor(() => expect(pages.at(-1)?.filter).toEqual({ ...expected, text: "relay 1" }));
  });

  it("shows Rust's message next to the field it is about", async () => {
    openHistory(3, {
      history_count: (args) =>
        (args.filter as HistoryFilter).to
          ? rustError("history_to_before_from")
          : 3,
    });
    await appear("history-count");
    await fireEvent.input(byId("history-filter-meter"), { target: { value: "12x" } });
    await fireEvent.change(byId("history-filter-meter"));
    expect((await appear("history-meter-error")).textContent).toContain('"12x" is not allowed; 1 to 12 digits');
    expect(byId("history-filter-meter").getAttribute("aria-invalid")).toBe("true");

    await fireEvent.input(byId("history-to"), { target: { value: "2026-10-31" } });
    expect((await appear("history-to-error")).textContent).toContain("a time after from");
    expect(byId("history-to").getAttribute("aria-describedby")).toBe("history-to-error");
  });

  it("a row shows its params (masked) and msg id, and the CSV export takes the filter", async () => {
    const { callsOf } = openHistory(5, {
      export_history: () => "/home/me/push3-history.csv",
      show_in_folder: () => null,
    });
    await waitFor(() => expect(rows()).toHaveLength(5));
    await fireEvent.click(within(rows()[1]).getByRole("button"));
    const detail = await appear("history-detail");
    expect(detail.dataset.entryId).toBe("4");
    expect(byId("history-detail-msg-id").textContent).toBe("msg-4");
    expect(byId("history-detail-params").textContent).toContain("meter_password••••••••");
    expect(rows()[1].dataset.selected).toBe("true");

    await fireEvent.change(byId("history-filter-outcome"), { target: { value: "failed" } });
    await fireEvent.click(byId("history-export"));
    const saved = await appear("history-export-status");
    expect(saved.textContent).toContain("/home/me/push3-history.csv");
    expect(callsOf("export_history")).toEqual([{ filter: { outcome: "failed" } }]);
    await fireEvent.click(within(saved).getByRole("button", { name: "Show in folder" }));
    expect(callsOf("show_in_folder")).toEqual([{ path: "/home/me/push3-history.csv" }]);
  });
});
