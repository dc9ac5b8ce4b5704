// Which schedule the meter follows on each day of a year: holidays first, then weekends, then
// the season in force (or schedule 1 when seasons are not managed).
import type { Holiday, Season, TouProgram } from "../../ipc";

/**
 * Month and day names and the first day of the week of a locale (the OS's, as the webview
 * reports it in `navigator.language`), from Intl: a calendar in Germany starts on Monday, one in
 * the United States on Sunday.
 */
export interface CalendarLocale {
  /** The locale's tag, for Intl. */
  tag: string;
  /** Long month names, January first. */
  months: string[];
  /** Short month names, January first. */
  monthsShort: string[];
  /** Short weekday names, indexed by Date.getDay() (0 = Sunday). */
  weekdaysShort: string[];
  /** Narrow weekday names for the grid's headings, indexed by Date.getDay(). */
  weekdaysNarrow: string[];
  /** The first column of a week, as Date.getDay() counts (0 = Sunday, 1 = Monday). */
  firstDay: number;
}

/** Intl's week data, where the engine has it: `getWeekInfo()` now, `weekInfo` before. */
type WeekInfoLocale = Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };

/**
 * `tag` if Intl knows it. A webview started with `LANG=C.UTF-8` reports a language that is no
 * BCP 47 tag; Intl would throw on it, so the engine's default stands in.
 */
function known(tag?: string): string | undefined {
  try {
    return tag ? Intl.DateTimeFormat.supportedLocalesOf([tag])[0] : undefined;
  } catch {
    return undefined;
  }
}

export function calendarLocale(requested?: string): CalendarLocale {
  const tag = known(requested);
  const format = (options: Intl.DateTimeFormatOptions, date: Date) => new Intl.DateTimeFormat(tag, options).format(date);
  const months = Array.from({ length: 12 }, (_, m) => new Date(2001, m, 1));
  // 7 January 2001 was a Sunday.
  const week = Array.from({ length: 7 }, (_, d) => new Date(2001, 0, 7 + d));
  const resolved = new Intl.DateTimeFormat(tag).resolvedOptions().locale;
  const locale = new Intl.Locale(resolved) as WeekInfoLocale;
  // Intl counts 1 = Monday … 7 = Sunday; without week data, Monday (ISO 8601).
  const firstDay = (locale.getWeekInfo?.() ?? locale.weekInfo)?.firstDay ?? 1;
  return {
    tag: resolved,
    months: months.map((d) => format({ month: "long" }, d)),
    monthsShort: months.map((d) => format({ month: "short" }, d)),
    weekdaysShort: week.map((d) => format({ weekday: "short" }, d)),
    weekdaysNarrow: week.map((d) => format({ weekday: "narrow" }, d)),
    firstDay: firstDay % 7,
  };
}

/** Month names in the OS's language, computed once (20 holiday and 4 season pickers use them). */
export const monthNames: string[] = typeof navigator === "undefined" ? calendarLocale().months : calendarLocale(navigator.language).months;

/** The calendar's headings, from the locale's first day of the week. */
export function weekHeadings(locale: CalendarLocale): string[] {
  return Array.from({ length: 7 }, (_, i) => locale.weekdaysNarrow[(locale.firstDay + i) % 7]);
}

/** Schedule followed when seasons are not managed (the meter's first schedule). */
const PLAIN_WEEKDAY_SCHEDULE = 1;

/**
 * Days in `month` (1-12). Without a year, the count of a leap year: holidays and seasons have
 * no year, so 29 February is a valid date for them.
 */
export function daysInMonth(month: number, year = 2000): number {
  return new Date(year, month, 0).getDate();
}

/** "Tue, Mar 3" in en-US, "Di., 3. März" in de-DE. */
export function formatDay(date: Date, locale: CalendarLocale): string {
  return new Intl.DateTimeFormat(locale.tag, { weekday: "short", day: "numeric", month: "short" }).format(date);
}

/** "Mar 3" in en-US, "3. März" in de-DE; for dates without a year (a leap year's, for 29 February). */
export const formatMonthDay = (month: number, day: number, locale: CalendarLocale) =>
  new Intl.DateTimeFormat(locale.tag, { day: "numeric", month: "short" }).format(new Date(2000, month - 1, day));

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

/** "Tue, Mar 3: schedule 1", with why when it is not a plain weekday. */
export function describeDay(date: Date, applied: DaySchedule, locale: CalendarLocale): string {
  const why =
    applied.rule === "holiday" ? " (holiday)"
    : applied.rule === "weekend" ? " (weekend)"
    : applied.season ? ` (season from ${formatMonthDay(applied.season.month, applied.season.day, locale)})`
    : "";
  return `${formatDay(date, locale)}: schedule ${applied.schedule}${why}`;
}

export interface CalendarDay extends DaySchedule {
  day: number;
  title: string;
}

export interface CalendarMonth {
  month: number;
  name: string;
  /** Empty cells before day 1 in a week that starts on the locale's first day. */
  leadingBlanks: number;
  days: CalendarDay[];
}

export function yearCalendar(program: TouProgram, year: number, locale: CalendarLocale): CalendarMonth[] {
  return locale.months.map((name, i) => {
    const month = i + 1;
    const days: CalendarDay[] = [];
    for (let day = 1; day <= daysInMonth(month, year); day++) {
      const date = new Date(year, i, day);
      const applied = scheduleOn(program, date);
      days.push({ ...applied, day, title: describeDay(date, applied, locale) });
    }
    const leadingBlanks = (new Date(year, i, 1).getDay() - locale.firstDay + 7) % 7;
    return { month, name, leadingBlanks, days };
  });
}
