// Which schedule the meter follows on each day of a year: holidays first, then weekends, then
// the season in force (or schedule 1 when seasons are not managed).
import type { Holiday, Season, TouProgram } from "../../ipc";

export const MONTH_NAMES = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
export const monthShort = (month: number) => MONTH_NAMES[month - 1].slice(0, 3);

/** Indexed by Date.getDay() (0 = Sunday). */
const WEEKDAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Column headings of a month, Monday first so that the weekend columns sit together. */
export const WEEK_HEADINGS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/** Schedule followed when seasons are not managed (the meter's first schedule). */
const PLAIN_WEEKDAY_SCHEDULE = 1;

/**
 * Days in `month` (1-12). Without a year, the count of a leap year: holidays and seasons have
 * no year, so 29 February is a valid date for them.
 */
export function daysInMonth(month: number, year = 2000): number {
  return new Date(year, month, 0).getDate();
}

/** "Tue 3 Mar". */
export function formatDay(date: Date): string {
  return `${WEEKDAY_SHORT[date.getDay()]} ${date.getDate()} ${monthShort(date.getMonth() + 1)}`;
}

/** "3 Mar"; for dates without a year. */
export const formatMonthDay = (month: number, day: number) => `${day} ${monthShort(month)}`;

const isUsedDate = (d: { month: number; day: number }) => d.month >= 1 && d.day >= 1;
const dayKey = (month: number, day: number) => month * 100 + day;

/** Used holidays in calendar order. */
export function usedHolidays(holidays: Holiday[]): Holiday[] {
  return holidays.filter(isUsedDate).sort((a, b) => dayKey(a.month, a.day) - dayKey(b.month, b.day));
}

/** Used seasons in calendar order. */
export function usedSeasons(seasons: Season[]): Season[] {
  return seasons
    .filter((s) => isUsedDate(s) && s.schedule >= 1)
    .sort((a, b) => dayKey(a.month, a.day) - dayKey(b.month, b.day));
}

/**
 * The season in force on month/day: the last one starting on or before it. Before the year's
 * first season starts, the latest season of the previous year still applies.
 */
export function seasonInForce(seasons: Season[], month: number, day: number): Season | null {
  const used = usedSeasons(seasons);
  if (used.length === 0) return null;
  const started = used.filter((s) => dayKey(s.month, s.day) <= dayKey(month, day));
  return started.length > 0 ? started[started.length - 1] : used[used.length - 1];
}

export type DayRule = "holiday" | "weekend" | "season" | "weekday";

export interface DaySchedule {
  schedule: number;
  rule: DayRule;
  /** The season in force, for rule "season". */
  season?: Season;
}

export function scheduleOn(program: TouProgram, date: Date): DaySchedule {
  const month = date.getMonth() + 1;
  const day = date.getDate();
  if (program.holidays.some((h) => isUsedDate(h) && h.month === month && h.day === day)) {
    return { schedule: program.holiday_schedule, rule: "holiday" };
  }
  const weekday = date.getDay();
  if (weekday === 0 || weekday === 6) return { schedule: program.weekend_schedule, rule: "weekend" };
  const season = program.seasons ? seasonInForce(program.seasons, month, day) : null;
  if (season) return { schedule: season.schedule, rule: "season", season };
  return { schedule: PLAIN_WEEKDAY_SCHEDULE, rule: "weekday" };
}

/** "Tue 3 Mar: schedule 1", with why when it is not a plain weekday. */
export function describeDay(date: Date, applied: DaySchedule): string {
  const why =
    applied.rule === "holiday" ? " (holiday)"
    : applied.rule === "weekend" ? " (weekend)"
    : applied.season ? ` (season from ${formatMonthDay(applied.season.month, applied.season.day)})`
    : "";
  return `${formatDay(date)}: schedule ${applied.schedule}${why}`;
}

export interface CalendarDay extends DaySchedule {
  day: number;
  title: string;
}

export interface CalendarMonth {
  month: number;
  name: string;
  /** Empty cells before day 1 in a Monday-first week. */
  leadingBlanks: number;
  days: CalendarDay[];
}

export function yearCalendar(program: TouProgram, year: number): CalendarMonth[] {
  return MONTH_NAMES.map((name, i) => {
    const month = i + 1;
    const days: CalendarDay[] = [];
    for (let day = 1; day <= daysInMonth(month, year); day++) {
      const date = new Date(year, i, day);
      const applied = scheduleOn(program, date);
      days.push({ ...applied, day, title: describeDay(date, applied) });
    }
    return { month, name, leadingBlanks: (new Date(year, i, 1).getDay() + 6) % 7, days };
  });
}
