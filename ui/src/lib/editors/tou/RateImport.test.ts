import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import TouEditor from "../TouEditor.svelte";
import { fakeBackend, fakeSend, knownState, limits, rustError, IPC_ERRORS, v3Meter } from "../../../test/fakeBackend";
import { appear, byId } from "../../../test/queries";
import rateFixture from "../../../test/rateImport.fixture.json";
import type { RateImport, RateOptions } from "../../ipc";

afterEach(() => clearMocks());

const remembered: unknown[] = [];

// What Rust answers for the critical-peak fixture rate (push3-rates' UI fixture).
const critical = rateFixture as unknown as RateImport;

function backend(answer: (options: RateOptions) => RateImport | never, picked: string | null = "{ the file }") {
  const { send } = fakeSend(() => ({ status: "confirmed", data: null, timestamp: 1 }));
  const translations: RateOptions[] = [];
  remembered.length = 0;
  mockIPC(
    fakeBackend({
      send,
      handlers: {
        known_state: () => knownState({}),
        pick_rate_file: () => picked,
        remember_rate: (_cmd, args) => {
          remembered.push(args);
          return (args as { rate: unknown }).rate;
        },
        translate_rate: (_cmd, args) => {
          const { text, options } = args as unknown as { text: string; options: RateOptions };
          expect(text).toBe(picked);
          translations.push(options);
          return answer(options);
        },
      },
    }),
  );
  return translations;
}

async function openImport() {
  render(TouEditor, { meter: v3Meter, limits });
  await waitFor(() => expect(byId("tou-import-rate")).toBeTruthy());
  await fireEvent.click(byId("tou-import-rate")!);
}

describe("Import utility rate", () => {
  it("shows what the meter cannot hold and both grids with the differing cells, before anything changes", async () => {
    const translations = backend(() => critical);
    await openImport();
    const summary = await appear("rate-import-summary");
    expect(summary.dataset.exact).toBe("false");
    expect(summary.textContent!.replace(/\s+/g, " ")).toContain(`differs from the rate in ${critical.hoursDiffering.toLocaleString()} of the 8,760 hours of 2026`);
    const kinds = [...byId("rate-import-approximations")!.querySelectorAll("li")].map((li) => li.dataset.kind);
    expect(kinds).toContain("tooManyRegisters");
    expect(kinds).toContain("weekendByMonth");
    expect(byId("rate-import-approximations")!.textContent).toContain("period 4 ($0.6000/kWh) is counted with period 3");

    // January weekdays 8–11: the rate's shoulder (T2) is counted as T1 by the meter.
    const cell = (grid: string, m: number, h: number) => byId(grid)!.querySelector(`[data-cell="${m}-${h}"]`) as HTMLElement;
    expect(cell("rate-grid-weekday-rate", 1, 9).dataset.register).toBe("2");
    expect(cell("rate-grid-weekday-meter", 1, 9).dataset.register).toBe("1");
    expect(cell("rate-grid-weekday-meter", 1, 9).dataset.differs).toBe("true");
    expect(cell("rate-grid-weekday-meter", 1, 17).dataset.differs).toBe("false");
    expect(byId("rate-import-registers")!.querySelector('[data-period="4"]')!.textContent).toContain("none");
    // Nothing was put in the editor yet.
    expect(byId("tou-unsaved")).toBeNull();
    expect(translations).toEqual([{ year: new Date().getFullYear(), holidays: null }]);
  });

  it("translates again with the holidays, and puts the program in the editor as unsent changes", async () => {
    const translations = backend(() => critical);
    await openImport();
    await appear("rate-import-summary");
    await fireEvent.click(byId("rate-import-holidays")!);
    await waitFor(() => expect(translations).toHaveLength(2));
    expect(translations[1].holidays).toBe("us-federal");
    await fireEvent.click(byId("rate-import-use")!);
    await waitFor(() => expect(byId("rate-import")).toBeNull());
    await appear("tou-unsaved");
    expect((byId("tou-weekend") as HTMLSelectElement).value).toBe(String(critical.program.weekend_schedule));
    // Remembered for the meter's cost estimates.
    await waitFor(() =>
      expect(remembered).toEqual([
        {
          target: { gatewayId: v3Meter.gatewayId, meter: v3Meter.address },
          rate: { name: critical.name, utility: critical.utility, prices: critical.prices },
        },
      ]),
    );
  });

  it("a bad file shows its first bad field and offers nothing to put in the editor", async () => {
    backend(() => rustError("rate_bad_cell"));
    await openImport();
    expect((await appear("rate-import-error")).textContent).toBe(IPC_ERRORS.rate_bad_cell.message);
    expect((byId("rate-import-use") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(byId("rate-import-cancel")!);
    await waitFor(() => expect(byId("rate-import")).toBeNull());
    expect(byId("tou-unsaved")).toBeNull();
    expect(remembered).toEqual([]);
  });

  it("a cancelled file dialog opens nothing", async () => {
    const translations = backend(() => critical, null);
    await openImport();
    await new Promise((r) => setTimeout(r, 20));
    expect(byId("rate-import")).toBeNull();
    expect(translations).toEqual([]);
  });

  it("says when putting the program in replaces unsent changes", async () => {
    backend(() => critical);
    render(TouEditor, { meter: v3Meter, limits });
    await waitFor(() => expect(byId("tou-import-rate")).toBeTruthy());
    await fireEvent.change(byId("tou-weekend")!, { target: { value: "3" } });
    await appear("tou-unsaved");
    await fireEvent.click(byId("tou-import-rate")!);
    await appear("rate-import-summary");
    expect(byId("rate-import-replaces")!.textContent).toContain("putting this program in replaces them");
    expect(byId("rate-import-use")!.textContent!.trim()).toBe("Replace my changes with it");
  });
});
