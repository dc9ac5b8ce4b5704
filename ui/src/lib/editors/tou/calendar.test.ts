import { describe, expect, it } from "vitest";
import type { Season, TouProgram } from "../../ipc";
import { limits } from "../../../test/fakeBackend";
import { calendarLocale, daysInMonth, describeDay, scheduleOn, seasonInForce, weekHeadings, yearCalendar } from "./calendar";

const british = calendarLocale("en-GB");
const american = calendarLocale("en-US");
const german = calendarLocale("de-DE");
import { defaultProgram } from "./program";
import calendarFixture from "../../../test/calendar.fixture.json";

function program(change: Partial<TouProgram>): TouProgram {
  return { ...defaultProgram(limits), ...change };
}

function withHolidays(...dates: [number, number][]): TouProgram["holidays"] {
  const holidays = defaultProgram(limits).holidays;
  dates.forEach(([month, day], i) => (holidays[i] = { month, day }));
  return holidays;
}

const UNUSED_SEASON: Season = { month: 0, day: 0, schedule: 0 };
const seasons: Season[] = [
  { month: 4, day: 1, schedule: 2 },
  { month: 10, day: 15, schedule: 3 },
  UNUSED_SEASON,
  UNUSED_SEASON,
];

describe("scheduleOn", () => {
  it("gives every day of a leap year the schedule Rust's rule gives it (push3::program::calendar)", () => {
    const fixture = calendarFixture as unknown as { program: TouProgram; days: [string, number][] };
    expect(fixture.days).toHaveLength(366);
    for (const [iso, schedule] of fixture.days) {
      const [y, m, d] = iso.split("-").map(Number);
      expect([iso, scheduleOn(fixture.program, new Date(y, m - 1, d)).schedule]).toEqual([iso, schedule]);
    }
  });

  it("gives a holiday the holiday schedule even when it falls on a weekend", () => {
    // 4 July 2026 is a Saturday.
    const p = program({ holidays: withHolidays([7, 4]), weekend_schedule: 5, holiday_schedule: 6 });
    expect(scheduleOn(p, new Date(2026, 6, 4))).toEqual({ schedule: 6, rule: "holiday" });
  });

  it("gives Saturdays and Sundays the weekend schedule even within a season", () => {
    const p = program({ weekend_schedule: 5, seasons });
    expect(scheduleOn(p, new Date(2026, 4, 9))).toEqual({ schedule: 5, rule: "weekend" });
    expect(scheduleOn(p, new Date(2026, 4, 10))).toEqual({ schedule: 5, rule: "weekend" });
  });

  it("gives weekdays the season in force, from its first day on", () => {
    const p = program({ seasons });
    expect(scheduleOn(p, new Date(2026, 3, 1))).toMatchObject({ schedule: 2, rule: "season" });
    expect(scheduleOn(p, new Date(2026, 9, 14))).toMatchObject({ schedule: 2, rule: "season" });
    expect(scheduleOn(p, new Date(2026, 9, 15))).toMatchObject({ schedule: 3, rule: "season" });
  });

  it("carries the previous year's last season into the new year until the first season starts", () => {
    const p = program({ seasons });
    // Monday 5 January 2026: before 1 April, so the season from 15 October goes on.
    expect(scheduleOn(p, new Date(2026, 0, 5))).toMatchObject({ schedule: 3, rule: "season" });
  });

  it("gives weekdays schedule 1 when seasons are not managed or none is set", () => {
    expect(scheduleOn(program({ seasons: null }), new Date(2026, 0, 5))).toEqual({ schedule: 1, rule: "weekday" });
    const none = [UNUSED_SEASON, UNUSED_SEASON, UNUSED_SEASON, UNUSED_SEASON];
    expect(scheduleOn(program({ seasons: none }), new Date(2026, 0, 5))).toEqual({ schedule: 1, rule: "weekday" });
  });
});

describe("seasonInForce", () => {
  it("takes the seasons in date order whatever their slot order", () => {
    const shuffled = [UNUSED_SEASON, seasons[1], UNUSED_SEASON, seasons[0]];
    expect(seasonInForce(shuffled, 6, 1)).toEqual(seasons[0]);
    expect(seasonInForce(shuffled, 2, 1)).toEqual(seasons[1]);
  });
});

describe("yearCalendar", () => {
  it("has 29 February in a leap year, and a 29 February holiday applies on it", () => {
    const p = program({ holidays: withHolidays([2, 29]), holiday_schedule: 4 });
    const february = yearCalendar(p, 2028, british)[1];
    expect(february.days).toHaveLength(29);
    expect(february.days[28]).toMatchObject({ day: 29, schedule: 4, rule: "holiday", title: "Tue 29 Feb: schedule 4 (holiday)" });
    expect(yearCalendar(p, 2027, british)[1].days).toHaveLength(28);
  });

  it("places each month's first day under its weekday, Monday first in Germany", () => {
    const months = yearCalendar(program({}), 2026, german);
    expect(months).toHaveLength(12);
    // 1 January 2026 is a Thursday; 1 February 2026 a Sunday.
    expect(months[0].leadingBlanks).toBe(3);
    expect(months[1].leadingBlanks).toBe(6);
    expect(months.reduce((n, m) => n + m.days.length, 0)).toBe(365);
    expect(weekHeadings(german)).toEqual(["M", "D", "M", "D", "F", "S", "S"]);
    expect(months.map((m) => m.name).slice(0, 3)).toEqual(["Januar", "Februar", "März"]);
    expect(months[1].days[0].title).toBe("So., 1. Feb.: schedule 1 (weekend)");
  });

  it("falls back to the engine's locale for a language Intl does not know (LANG=C.UTF-8)", () => {
    for (const odd of ["c.utf-8", "C", "", "xx-invalid-tag-!!"]) {
      expect(calendarLocale(odd).months).toHaveLength(12);
    }
  });

  it("starts the week on Sunday in the United States, and names days the American way", () => {
    const months = yearCalendar(program({}), 2026, american);
    // Thursday is the fifth column of a Sunday-first week; Sunday the first.
    expect(months[0].leadingBlanks).toBe(4);
    expect(months[1].leadingBlanks).toBe(0);
    expect(weekHeadings(american)).toEqual(["S", "M", "T", "W", "T", "F", "S"]);
    expect(months[0].name).toBe("January");
    expect(months[2].days[2].title).toBe("Tue, Mar 3: schedule 1");
  });
});

describe("daysInMonth and describeDay", () => {
  it("allows 29 February for dates without a year", () => {
    expect(daysInMonth(2)).toBe(29);
    expect(daysInMonth(2, 2026)).toBe(28);
    expect(daysInMonth(4)).toBe(30);
  });

  it("reads like 'Tue 3 Mar: schedule 1'", () => {
    expect(describeDay(new Date(2026, 2, 3), { schedule: 1, rule: "weekday" }, british)).toBe("Tue 3 Mar: schedule 1");
  });
});
