// How a schedule's periods cover a day: the segments a 24-hour timeline draws, and the same in
// words for people who cannot see it.
import type { Period } from "../../ipc";

export const MINUTES_PER_DAY = 24 * 60;

/** Hours marked under a full timeline. */
export const HOUR_TICKS = [0, 6, 12, 18, 24];

/** 0/0/0 marks a period the schedule does not use (reference §2.13). */
export function isUnused(period: Period): boolean {
  return period.hour === 0 && period.minute === 0 && period.tariff === 0;
}

export function startMinute(period: Period): number {
  return period.hour * 60 + period.minute;
}

/** "07:05"; the end of the day is "24:00". */
export function formatMinute(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

export const tariffLabel = (tariff: number) => `T${tariff}`;

/**
 * True when the used periods start in strictly ascending order. The meter library does not check
 * the order, so other orders are only warned about, never refused (reference §2.13).
 */
export function inAscendingOrder(periods: Period[]): boolean {
  const starts = periods.filter((p) => !isUnused(p)).map(startMinute);
  return starts.every((start, i) => i === 0 || start > starts[i - 1]);
}

/** A stretch of the day counted into one tariff, in minutes from midnight (end exclusive). */
export interface Segment {
  start: number;
  end: number;
  tariff: number;
  /** True for the stretch before the day's first period, where the previous day's last one goes on. */
  carried: boolean;
}

/**
 * The day as the meter counts it: used periods in start order (whatever their order in the
 * table), each until the next one starts. Before the first start of the day the meter is still in
 * the previous day's last period, so that tariff wraps around to midnight. A period that starts
 * at the same time as a later one in start order lasts no time and is left out.
 */
export function timelineSegments(periods: Period[]): Segment[] {
  const used = periods
    .filter((p) => !isUnused(p))
    .map((p) => ({ start: startMinute(p), tariff: p.tariff }))
    .sort((a, b) => a.start - b.start);
  if (used.length === 0) return [];
  const segments: Segment[] = [];
  const first = used[0];
  const last = used[used.length - 1];
  if (first.start > 0) segments.push({ start: 0, end: first.start, tariff: last.tariff, carried: true });
  used.forEach((p, i) => {
    const end = i + 1 < used.length ? used[i + 1].start : MINUTES_PER_DAY;
    if (end > p.start) segments.push({ start: p.start, end, tariff: p.tariff, carried: false });
  });
  return segments;
}

/** E.g. "Schedule 2: 00:00–07:00 T1, 07:00–19:00 T2, 19:00–24:00 T1". */
export function describeSchedule(schedule: number, periods: Period[]): string {
  const segments = timelineSegments(periods);
  if (segments.length === 0) return `Schedule ${schedule}: no periods set`;
  const parts = segments.map(
    (s) =>
      `${formatMinute(s.start)}–${formatMinute(s.end)} ${tariffLabel(s.tariff)}` +
      (s.carried ? " (continued from the previous day)" : ""),
  );
  return `Schedule ${schedule}: ${parts.join(", ")}`;
}

/**
 * The start a period gets when the user turns it on: an hour after the latest used start, so
 * the new period does not collide with the others.
 */
export function nextFreeStart(periods: Period[]): { hour: number; minute: number } {
  const starts = periods.filter((p) => !isUnused(p)).map(startMinute);
  if (starts.length === 0) return { hour: 0, minute: 0 };
  return { hour: Math.min(23, Math.floor(Math.max(...starts) / 60) + 1), minute: 0 };
}
