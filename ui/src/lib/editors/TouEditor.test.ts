import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import TouEditor from "./TouEditor.svelte";
import { IPC_ERRORS, fakeBackend, fakeSend, knownState, limits, rustError, v3Meter } from "../../test/fakeBackend";
import { appear, byId } from "../../test/queries";
import type { Difference, Outcome, Plan, Program, SchedulesReading, SlotShift, TouProgram } from "../ipc";
import { defaultProgram } from "./tou/program";

afterEach(() => clearMocks());

const meter = v3Meter; // time of use is not V4-only

/** A program as a meter might hold it: schedule 1 with three periods, one holiday, seasons unmanaged. */
function meterProgram(): TouProgram {
  const p = defaultProgram(limits);
  p.schedules[0] = [
    { hour: 0, minute: 0, tariff: 1 },
    { hour: 7, minute: 0, tariff: 2 },
    { hour: 19, minute: 0, tariff: 1 },
    { hour: 0, minute: 0, tariff: 0 },
  ];
  p.holidays[0] = { month: 1, day: 1 };
  p.weekend_schedule = 2;
  p.holiday_schedule = 2;
  return p;
}

interface Options {
  known?: TouProgram | null;
  /** What plan_program answers (or throws). */
  plan?: (program: Program) => Plan;
  /** What each GetSchedules parses to, in turn (the last repeats). */
  readings?: SchedulesReading[];
  /** How GetSchedules ends. */
  readOutcome?: Outcome["status"];
  compare?: Difference[];
  shift?: SlotShift;
}

/** The Rust side of this editor, recording what reaches it. */
function backend(options: Options = {}) {
  const { send, sent } = fakeSend((request): Outcome => {
    const isRead = request.command === "GetSchedules";
    const status = isRead ? (options.readOutcome ?? "confirmed") : "confirmed";
    return status === "confirmed" ? { status, data: isRead ? { schedules: "as the gateway sends them" } : null, timestamp: 1 }
      : status === "unconfirmed" ? { status }
      : status === "rejected" ? { status, error: "refused" }
      : { status, error: "meter did not answer", timestamp: 1 };
  });
  const calls = {
    sent,
    plans: [] as { target: unknown; program: Program; force: boolean }[],
    compares: [] as { expected: TouProgram; actual: TouProgram }[],
    knownStates: 0,
  };
  let reads = 0;
  const readings = options.readings ?? [{ program: meterProgram(), extra: {} }];
  const known = knownState({
    tou: options.known ? { value: options.known, at: "2026-03-03T10:00:00Z", source: "confirmed_write" } : null,
  });
  mockIPC(
    fakeBackend({
      send,
      handlers: {
        known_state: () => {
          calls.knownStates++;
          return known;
        },
        plan_program: (_cmd, args) => {
          const a = args as unknown as { target: unknown; program: Program; force: boolean };
          calls.plans.push(a);
          return (options.plan ?? defaultPlan)(a.program);
        },
        parse_schedules: () => readings[Math.min(reads++, readings.length - 1)],
        compare_tou: (_cmd, args) => {
          calls.compares.push(args as unknown as { expected: TouProgram; actual: TouProgram });
          return { differences: options.compare ?? [], shift: options.shift ?? null };
        },
      },
    }),
  );
  return calls;
}

function defaultPlan(program: Program): Plan {
  if (program.kind !== "tou") throw new Error("not a TOU program");
  return {
    commands: [
      {
        command: "SetWeekendHolidaySchedules",
        params: { weekend_schedule: program.tou.weekend_schedule, holiday_schedule: program.tou.holiday_schedule },
        summary: "Weekends and holidays",
      },
    ],
    unchanged: [],
  };
}

const field = (scope: HTMLElement, name: string) => scope.querySelector(`[data-field="${name}"]`) as HTMLSelectElement & HTMLInputElement;
const period = (p: number) => document.querySelector(`[data-period="${p}"]`) as HTMLElement;
const holiday = (k: number) => document.querySelector(`[data-holiday="${k}"]`) as HTMLElement;

async function renderEditor() {
  render(TouEditor, { meter, limits });
  // known_state answers before the user can do anything meaningful.
  await waitFor(() => expect(byId("tou-read")).toBeTruthy());
}

async function choose(select: HTMLElement, value: string) {
  await fireEvent.change(select, { target: { value } });
}

/** Sends the open plan and closes the summary, as the user would. */
async function sendPlanAndClose() {
  await fireEvent.click(await appear("plan-send"));
  await fireEvent.click(await appear("plan-close"));
}

/** Opens the editor, sets schedule 1 period 2's tariff from 2 to 3, sends the plan, and returns
 * the verification box once it has appeared. */
async function writePeriod2Tariff3() {
  await renderEditor();
  await waitFor(() => expect(field(period(2), "tariff").value).toBe("2"));
  await choose(field(period(2), "tariff"), "3");
  await fireEvent.click(byId("tou-review"));
  await sendPlanAndClose();
  return appear("tou-verify");
}

describe("TouEditor", () => {
  it("sends plan_program exactly the edited period and holidays, and opens the summary", async () => {
    const calls = backend();
    await renderEditor();
    expect(byId("tou-hint").textContent).toContain("Read from meter");

    await fireEvent.click(document.querySelector('[data-schedule="2"]')!);
    const row = period(2);
    await fireEvent.click(field(row, "unused"));
    await choose(field(row, "hour"), "7");
    await choose(field(row, "minute"), "30");
    await choose(field(row, "tariff"), "2");
    await choose(field(holiday(1), "month"), "1");
    await choose(field(holiday(1), "day"), "1");
    await choose(field(holiday(2), "month"), "12");
    await choose(field(holiday(2), "day"), "25");
    expect(byId("tou-unsaved")).toBeTruthy();
    expect(document.querySelector('[data-timeline="2"]')!.getAttribute("aria-label")).toBe(
      "Schedule 2: 00:00–07:30 T1, 07:30–24:00 T2",
    );

    await fireEvent.click(byId("tou-review"));

    const expected = defaultProgram(limits);
    expected.schedules[1][1] = { hour: 7, minute: 30, tariff: 2 };
    expected.holidays[0] = { month: 1, day: 1 };
    expected.holidays[1] = { month: 12, day: 25 };
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(calls.plans[0]).toEqual({
      target: { gatewayId: meter.gatewayId, meter: meter.address },
      program: { kind: "tou", tou: expected },
      force: false,
    });
    const title = await appear("plan-title");
    expect(title.textContent).toMatch(/^Time of use: 1 command/);
    expect(title.closest("dialog")!.open).toBe(true);
    expect(calls.sent).toHaveLength(0);
  });

  it("passes 'Send even if unchanged' on as force", async () => {
    const calls = backend();
    await renderEditor();
    await fireEvent.click(byId("tou-force"));
    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect(calls.plans[0].force).toBe(true);
  });

  it("shows Rust's message next to the refused period, selects its schedule and does not open the send step", async () => {
    const { message } = IPC_ERRORS.tou_tariff_7;
    backend({
      plan: () => rustError("tou_tariff_7"),
    });
    await renderEditor();
    await fireEvent.click(document.querySelector('[data-schedule="2"]')!);
    await fireEvent.click(field(period(3), "unused"));
    await fireEvent.click(document.querySelector('[data-schedule="1"]')!);
    await fireEvent.click(byId("tou-review"));

    const alert = await appear("tou-error");
    expect(alert.getAttribute("role")).toBe("alert");
    expect(alert.textContent).toBe(message);
    expect(document.querySelector('[data-schedule="2"]')!.getAttribute("aria-selected")).toBe("true");
    const row = period(3);
    expect(row.getAttribute("aria-label")).toBe("Schedule 2, period 3");
    expect(within(row).getByText(message)).toBeTruthy();
    const tariff = field(row, "tariff");
    expect(tariff.getAttribute("aria-invalid")).toBe("true");
    expect(byId(tariff.getAttribute("aria-describedby")!).textContent).toBe(message);
    expect(document.activeElement).toBe(tariff);
    expect(document.querySelector("dialog")).toBeNull();
  });

  it("fills the editor with what GetSchedules reads when there is no unsaved edit", async () => {
    const calls = backend();
    await renderEditor();
    await fireEvent.click(byId("tou-read"));

    await waitFor(() => expect(byId("tou-known").textContent).toContain("Last read from the meter"));
    expect(calls.sent).toEqual([{ gatewayId: meter.gatewayId, meter: meter.address, command: "GetSchedules", params: {} }]);
    expect(field(period(2), "hour").value).toBe("7");
    expect(field(period(2), "tariff").value).toBe("2");
    expect(field(period(4), "unused").checked).toBe(true);
    expect(field(holiday(1), "month").value).toBe("1");
    expect(byId<HTMLSelectElement>("tou-weekend").value).toBe("2");
    expect(byId("tou-unsaved")).toBeNull();
    expect(byId("tou-diff")).toBeNull();
    expect(calls.compares).toHaveLength(0);
  });

  it("keeps an unsaved edit on reading, lists compare_tou's differences and can replace the edit", async () => {
    const difference: Difference = { path: "weekend_schedule", label: "Weekend schedule", expected: "schedule 3", actual: "schedule 2" };
    const calls = backend({ compare: [difference] });
    await renderEditor();
    await choose(byId("tou-weekend"), "3");
    await fireEvent.click(byId("tou-read"));

    const diff = await appear("tou-diff");
    expect(diff.textContent).toContain("Weekend schedule: your edit schedule 3, meter schedule 2");
    expect(byId<HTMLSelectElement>("tou-weekend").value).toBe("3");
    expect(calls.compares).toHaveLength(1);
    expect(calls.compares[0].expected.weekend_schedule).toBe(3);
    expect(calls.compares[0].actual).toEqual(meterProgram());
    const mark = byId("tou-weekend").parentElement!.querySelector('[data-mark="differs"]');
    expect(mark?.textContent).toContain("meter: schedule 2");
    expect(byId("tou-unsaved")).toBeTruthy();

    const replace = byId("tou-replace");
    expect(replace.textContent).toBe("Replace my edit with what the meter holds");
    await fireEvent.click(replace);
    expect(byId<HTMLSelectElement>("tou-weekend").value).toBe("2");
    expect(field(period(2), "hour").value).toBe("7");
    expect(byId("tou-diff")).toBeNull();
    expect(byId("tou-unsaved")).toBeNull();
  });

  it("says why nothing was read when GetSchedules is not confirmed", async () => {
    backend({ readOutcome: "failed" });
    await renderEditor();
    await fireEvent.click(byId("tou-read"));
    const problem = await appear("tou-read-problem");
    expect(problem.getAttribute("role")).toBe("alert");
    expect(problem.textContent).toBe("GetSchedules was not confirmed (Failed): meter did not answer.");
    expect(byId("tou-hint")).toBeTruthy();
  });

  it("shows a payload of unknown shape raw and fills nothing in", async () => {
    backend({ readings: [{ program: null, extra: { Mystery_Block: [1, 2] } }] });
    await renderEditor();
    await fireEvent.click(byId("tou-read"));
    const raw = await appear("tou-raw");
    expect(raw.textContent).toContain("unknown shape");
    expect(raw.textContent).toContain("Mystery_Block");
    expect(field(period(2), "unused").checked).toBe(true);
  });

  it("after a confirmed run reads the schedules back by itself and says Verified", async () => {
    const edited = meterProgram();
    edited.weekend_schedule = 4;
    const calls = backend({ known: meterProgram(), readings: [{ program: edited, extra: {} }] });
    await renderEditor();
    await waitFor(() => expect(byId<HTMLSelectElement>("tou-weekend").value).toBe("2"));
    expect(byId("tou-known").textContent).toContain("Last confirmed write");

    await choose(byId("tou-weekend"), "4");
    await fireEvent.click(byId("tou-review"));
    await sendPlanAndClose();

    const verify = await appear("tou-verify");
    expect(verify.getAttribute("role")).toBe("status");
    await waitFor(() => expect(verify.textContent).toContain("Verified: the meter holds every value sent."));
    expect(calls.sent.map((r) => [r.command, r.params])).toEqual([
      ["SetWeekendHolidaySchedules", { weekend_schedule: 4, holiday_schedule: 2 }],
      ["GetSchedules", {}],
    ]);
    expect(calls.compares).toEqual([{ expected: edited, actual: edited }]);
    expect(document.querySelector('[data-schedule="1"] [data-mark="verified"]')).toBeTruthy();
    expect(byId("tou-unsaved")).toBeNull();
  });

  it("shows what the meter holds differently after the read-back", async () => {
    const mismatch: Difference = { path: "schedules[0][1]", label: "Schedule 1, period 2", expected: "07:00 T3", actual: "07:00 T2" };
    backend({ known: meterProgram(), compare: [mismatch] });
    const verify = await writePeriod2Tariff3();
    expect(verify.getAttribute("role")).toBe("status");
    await waitFor(() => expect(verify.getAttribute("data-state")).toBe("mismatched"));
    expect(verify.textContent).toContain("Schedule 1, period 2: sent 07:00 T3, meter 07:00 T2");
    expect(period(2).querySelector('[data-mark="differs"]')!.textContent).toContain("meter: 07:00 T2");
    expect(document.querySelector('[data-schedule="1"] [data-mark="differs"]')).toBeTruthy();
    expect(period(1).querySelector('[data-mark="verified"]')).toBeTruthy();
  });

  it("names a schedule slot shift above the differences it explains", async () => {
    const mismatch: Difference = { path: "schedules[1][1]", label: "Schedule 2, period 2", expected: "07:00 T2", actual: "07:00 T3" };
    const shift: SlotShift = {
      schedule: 1,
      slot: 2,
      gateway_counts_from: 0,
      message: "Schedule 1 landed in slot 2: this gateway counts schedules from 0.",
    };
    backend({ known: meterProgram(), compare: [mismatch], shift });
    const verify = await writePeriod2Tariff3();
    await waitFor(() => expect(verify.getAttribute("data-state")).toBe("mismatched"));
    expect(byId("tou-slot-shift")!.textContent).toBe(shift.message);
    expect(verify.textContent!.indexOf(shift.message)).toBeLessThan(verify.textContent!.indexOf("Schedule 2, period 2"));
  });

  it("says why verification could not be done when the read-back is not confirmed", async () => {
    const calls = backend({ readOutcome: "unconfirmed" });
    await renderEditor();
    await fireEvent.click(byId("tou-review"));
    await sendPlanAndClose();

    const verify = await appear("tou-verify");
    await waitFor(() => expect(verify.textContent).toContain("Verification could not be done."));
    expect(verify.textContent).toContain("GetSchedules was not confirmed (Unconfirmed): the gateway did not answer in time");
    expect(calls.sent.map((r) => r.command)).toEqual(["SetWeekendHolidaySchedules", "GetSchedules"]);
    expect(calls.compares).toHaveLength(0);
  });

  it("does not read back when nothing was confirmed", async () => {
    const calls = backend();
    await renderEditor();
    await fireEvent.click(byId("tou-review"));
    await fireEvent.click(await appear("plan-cancel"));
    expect(calls.sent).toHaveLength(0);
    expect(byId("tou-verify")).toBeNull();
  });

  it("adds a holiday in the first free slot and moves focus to it; clearing empties the slot", async () => {
    const calls = backend();
    await renderEditor();
    await choose(field(holiday(1), "month"), "7");
    await fireEvent.click(byId("tou-add-holiday"));
    expect(document.activeElement).toBe(field(holiday(2), "month"));
    expect(field(holiday(2), "day").value).toBe("1");
    await fireEvent.click(holiday(1).querySelector("[data-clear]")!);
    expect(field(holiday(1), "month").value).toBe("0");
    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    const sent = (calls.plans[0].program as { tou: TouProgram }).tou.holidays;
    expect(sent.slice(0, 3)).toEqual([{ month: 0, day: 0 }, { month: 1, day: 1 }, { month: 0, day: 0 }]);
    expect(sent).toHaveLength(limits.holidays);
  });

  it("sends seasons only while the experimental switch is on", async () => {
    const calls = backend();
    await renderEditor();
    const seasonsSwitch = byId<HTMLInputElement>("tou-seasons-switch");
    expect(seasonsSwitch.getAttribute("role")).toBe("switch");

    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect((calls.plans[0].program as { tou: TouProgram }).tou.seasons).toBeNull();
    await fireEvent.click(await appear("plan-cancel"));

    await fireEvent.click(seasonsSwitch);
    const first = document.querySelector('[data-season="1"]') as HTMLElement;
    await choose(field(first, "month"), "4");
    expect(field(first, "day").value).toBe("1");
    expect(field(first, "schedule").value).toBe("1");
    await choose(field(first, "schedule"), "3");
    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(2));
    const unused = { month: 0, day: 0, schedule: 0 };
    expect((calls.plans[1].program as { tou: TouProgram }).tou.seasons).toEqual([
      { month: 4, day: 1, schedule: 3 },
      unused,
      unused,
      unused,
    ]);
    expect(calls.plans[1].program.kind === "tou" && calls.plans[1].program.tou.seasons).toHaveLength(limits.seasons);
  });

  it("keeps the seasons switch off when the meter's reading carries seasons, with no unsaved change", async () => {
    const withSeasons = meterProgram();
    withSeasons.seasons = [
      { month: 4, day: 1, schedule: 2 },
      { month: 10, day: 1, schedule: 1 },
      { month: 0, day: 0, schedule: 0 },
      { month: 0, day: 0, schedule: 0 },
    ];
    const calls = backend({ readings: [{ program: withSeasons, extra: {} }] });
    await renderEditor();
    await fireEvent.click(byId("tou-read"));
    await waitFor(() => expect(byId("tou-known").textContent).toContain("Last read from the meter"));

    expect(byId<HTMLInputElement>("tou-seasons-switch").checked).toBe(false);
    expect(byId("tou-unsaved")).toBeNull();
    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(1));
    expect((calls.plans[0].program as { tou: TouProgram }).tou.seasons).toBeNull();
  });

  it("lets the keyboard move between schedules with the arrow keys, Home and End", async () => {
    backend();
    await renderEditor();
    const tab = (n: number) => document.querySelector(`[data-schedule="${n}"]`) as HTMLButtonElement;
    expect(tab(1).tabIndex).toBe(0);
    expect(tab(2).tabIndex).toBe(-1);
    tab(1).focus();

    await fireEvent.keyDown(tab(1), { key: "ArrowRight" });
    expect(document.activeElement).toBe(tab(2));
    expect(tab(2).getAttribute("aria-selected")).toBe("true");
    expect(period(1).getAttribute("aria-label")).toBe("Schedule 2, period 1");

    await fireEvent.keyDown(tab(2), { key: "End" });
    expect(document.activeElement).toBe(tab(limits.schedules));
    await fireEvent.keyDown(tab(limits.schedules), { key: "ArrowRight" });
    expect(document.activeElement).toBe(tab(1));
    await fireEvent.keyDown(tab(1), { key: "ArrowLeft" });
    expect(tab(limits.schedules).getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(tab(limits.schedules), { key: "Home" });
    expect(tab(1).getAttribute("aria-selected")).toBe("true");
    expect(byId("tou-schedule-panel").getAttribute("aria-labelledby")).toBe(tab(1).id);
  });

  it("warns, without blocking, when periods do not start in ascending order", async () => {
    const calls = backend();
    await renderEditor();
    const row = period(2);
    await fireEvent.click(field(row, "unused"));
    await choose(field(period(1), "hour"), "9");
    expect(byId("tou-order-warning")).toBeTruthy();
    await fireEvent.click(byId("tou-review"));
    await waitFor(() => expect(calls.plans).toHaveLength(1));
  });

  it("draws the year calendar with the holiday's weekday in its summary", async () => {
    backend({ known: meterProgram() });
    await renderEditor();
    const calendar = byId("tou-calendar");
    await waitFor(() => expect(byId("tou-calendar-summary").textContent).toContain("Holidays follow schedule 2"));
    const year = new Date().getFullYear();
    // In the window's locale (jsdom's is en-US): "Thu, Jan 1".
    const day = new Date(year, 0, 1).toLocaleDateString(navigator.language, { weekday: "short", day: "numeric", month: "short" });
    expect(byId("tou-calendar-summary").textContent).toContain(day);
    const firstOfJanuary = calendar.querySelector('[data-month="1"] [data-day="1"]') as HTMLElement;
    expect(firstOfJanuary.title).toBe(`${day}: schedule 2 (holiday)`);
  });
});
