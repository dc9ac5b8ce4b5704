import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import TariffView from "./TariffView.svelte";
import { fakeBackend, fakeSend, limits, v3Meter, v4Meter } from "../../test/fakeBackend";
import { appear, byId } from "../../test/queries";
import type { CostEstimate, MonthUse, Outcome, TariffData } from "../ipc";
import { monthAgo, monthName } from "./tariff/months";

afterEach(() => clearMocks());

/** What the gateway answers to GetTariffData in these tests; its shape does not matter here. */
const payload = { Month_1_Tot: "1234.5", Firmware_Note: "x" };

const parsed: TariffData = {
  forward: [
    { total: 1234.5, tariffs: [600, 400.25, 200, 34.25] },
    { total: 2000, tariffs: [1000, 500, 400, 100] },
  ],
  reverse: [{ total: 12.3, tariffs: [12.3, 0, 0, 0] }],
  Firmware_Note: "x",
  Nested: { a: [1, 2] },
};

function backend(
  outcome: Outcome,
  parse: (data: unknown) => unknown = () => parsed,
  estimate: (uses: MonthUse[]) => CostEstimate | null = () => null,
) {
  const { send, sent } = fakeSend(outcome);
  const parsedData: unknown[] = [];
  const estimated: MonthUse[][] = [];
  mockIPC(
    fakeBackend({
      send,
      handlers: {
        parse_tariff_data: (_cmd, args) => {
          const data = (args as { data: unknown }).data;
          parsedData.push(data);
          return parse(data);
        },
        estimate_costs: (_cmd, args) => {
          const { uses } = args as unknown as { uses: MonthUse[] };
          estimated.push(uses);
          return estimate(uses);
        },
      },
    }),
  );
  return { sent, parsedData, estimated };
}

/** One decimal in the reader's locale, as the table shows kWh. */
const kwh = (v: number) => new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);
const cells = (row: Element) => [...row.querySelectorAll("th, td")].map((c) => c.textContent?.replace(/\s+/g, " ").trim());

async function readTariffs(meter = v4Meter) {
  render(TariffView, { meter, limits });
  await fireEvent.click(byId("tariff-read"));
  await waitFor(() => expect(byId("tariff-state").dataset.state).not.toBe("sending"));
}

describe("TariffView", () => {
  it("reads GetTariffData once and shows parse_tariff_data's months as a table, newest first", async () => {
    const { sent, parsedData } = backend({ status: "confirmed", data: payload, timestamp: 1 });
    await readTariffs();
    await waitFor(() => expect(byId("tariff-table")).not.toBeNull());
    expect(sent).toEqual([{ gatewayId: "demo", meter: "000350000900", command: "GetTariffData", params: {} }]);
    expect(parsedData).toEqual([payload]);

    const table = byId("tariff-table");
    const [head, ...rows] = table.querySelectorAll("tr");
    expect(cells(head)).toEqual(["Month", "Total", "T1", "T2", "T3", "T4"]);
    const today = new Date();
    expect(cells(rows[0])).toEqual([`${monthName(0, today, "medium")} this month`, kwh(1234.5), kwh(600), kwh(400.3), kwh(200), kwh(34.3)]);
    expect(cells(rows[1])[0]).toBe(monthName(1, today, "medium"));
    expect(rows[1].querySelector("abbr")?.title).toBe(monthName(1, today, "long"));
    expect(rows).toHaveLength(2);
    expect(byId("tariff-read-at").textContent).toContain("Read");
    expect(within(byId("tariff-table-reverse")).getByText(kwh(12.3), { selector: "td:nth-child(2)" })).toBeTruthy();
  });

  it("draws a stacked bar per month, oldest on the left, described by its table", async () => {
    backend({ status: "confirmed", data: payload, timestamp: 1 });
    await readTariffs();
    const chart = await appear("tariff-chart");
    expect(chart.getAttribute("role")).toBe("img");
    expect(chart.getAttribute("aria-describedby")).toBe("tariff-table");
    const bars = chart.querySelectorAll("g");
    expect(bars).toHaveLength(2);
    // Each non-zero tariff is one segment; the older month (2000 kWh) comes first and is taller.
    const heights = (g: Element) => [...g.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
    expect(heights(bars[0])).toHaveLength(4);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(heights(bars[0]))).toBeCloseTo(120);
    expect(sum(heights(bars[1]))).toBeCloseTo((1234.5 / 2000) * 120);
    expect([...bars[0].querySelectorAll("rect")].map((r) => r.getAttribute("style"))).toEqual([
      "fill: var(--tariff-1);",
      "fill: var(--tariff-2);",
      "fill: var(--tariff-3);",
      "fill: var(--tariff-4);",
    ]);
    expect(byId("tariff-chart-reverse")).not.toBeNull();
  });

  it("shows payload keys it does not know as a raw tree, not as an error", async () => {
    backend({ status: "confirmed", data: payload, timestamp: 1 });
    await readTariffs();
    const raw = await appear("tariff-raw");
    expect(raw.textContent).toContain("Fields this app does not know yet");
    expect(raw.textContent).toContain("Firmware_Note");
    expect(raw.textContent).toContain('"x"');
    expect(raw.textContent).toContain("Nested");
    expect(document.querySelector("[role=alert]")).toBeNull();
  });

  it("says so when the meter returns no tariff data", async () => {
    const { parsedData } = backend({ status: "confirmed", data: {}, timestamp: 1 }, () => ({ forward: [], reverse: [] }));
    await readTariffs(v3Meter);
    await waitFor(() => expect(byId("tariff-empty").textContent).toBe("The meter returned no tariff data."));
    expect(parsedData).toEqual([{}]);
    expect(byId("tariff-table")).toBeNull();
    expect(byId("tariff-raw")).toBeNull();
  });

  it("keeps a payload of a shape nobody knows visible as received", async () => {
    // What Rust's parse_tariff_data answers for a list (it never refuses a reading): no months,
    // and the whole reading kept under `data` (push3::undocumented::payloads).
    backend({ status: "confirmed", data: [1, 2, 3], timestamp: 1 }, () => ({ forward: [], reverse: [], data: [1, 2, 3] }));
    await readTariffs();
    const raw = await appear("tariff-raw");
    expect(raw.textContent).toContain("Fields this app does not know yet");
    expect(raw.textContent).toContain("3 entries");
    expect(document.querySelector("[role=alert]")).toBeNull();
  });

  it("shows a failed read with the gateway's text and no table", async () => {
    const { parsedData } = backend({ status: "failed", error: "meter did not answer", timestamp: 1 });
    await readTariffs();
    expect(byId("tariff-state").dataset.state).toBe("failed");
    expect(byId("tariff-state").textContent).toContain("meter did not answer");
    expect(parsedData).toHaveLength(0);
    expect(byId("tariff-table")).toBeNull();
  });

  it("estimates each forward month's cost with the rate imported for the meter, and says it is an estimate", async () => {
    const prices = Array.from({ length: 12 }, () => [0.1, 0.3, null, null]);
    const { estimated } = backend({ status: "confirmed", data: payload, timestamp: 1 }, () => parsed, (uses) => ({
      rate: { name: "TOU-4-9", utility: "Example Electric", prices, importedAt: "2026-12-01T10:00:00Z" },
      months: uses.map((u) => ({ cost: u.kwh[0] * 0.1 + u.kwh[1] * 0.3, unpricedKwh: u.kwh[2] + u.kwh[3] })),
    }));
    await readTariffs();
    const table = await appear("tariff-cost-table");
    // Rust is asked with each forward month's calendar month and its kWh per register.
    const now = new Date();
    expect(estimated).toEqual([
      [
        { month: monthAgo(0, now).getMonth() + 1, kwh: [600, 400.25, 200, 34.25] },
        { month: monthAgo(1, now).getMonth() + 1, kwh: [1000, 500, 400, 100] },
      ],
    ]);
    const usd = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
    const rows = [...table.querySelectorAll("tbody tr")].map(cells);
    expect(rows[0][1]).toBe(usd.format(60 + 120.075));
    expect(rows[0][2]).toBe("plus 234.3 kWh in a register the rate does not price that month");
    expect(byId("tariff-cost-basis")!.textContent).toContain("“TOU-4-9” (Example Electric)");
    expect(byId("tariff-cost-basis")!.textContent).toContain("An estimate, not a bill: no tiers, demand charges, fixed charges or taxes.");
  });

  it("without an imported rate says where to import one", async () => {
    backend({ status: "confirmed", data: payload, timestamp: 1 });
    await readTariffs();
    expect((await appear("tariff-cost-none")).textContent).toContain("Import utility rate…");
    expect(byId("tariff-cost-table")).toBeNull();
  });
});
