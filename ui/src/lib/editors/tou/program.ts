// The time-of-use program as an editor holds it: a default to start from, copies, and equality.
import type { MeterLimits, Season, TouProgram } from "../../ipc";

export function unusedSeasons(limits: MeterLimits): Season[] {
  return Array.from({ length: limits.seasons }, () => ({ month: 0, day: 0, schedule: 0 }));
}

/**
 * What the editor shows before anything is known of the meter: every schedule one period from
 * midnight in T1, no holidays, schedule 1 on weekends and holidays, seasons not managed.
 */
export function defaultProgram(limits: MeterLimits): TouProgram {
  return {
    schedules: Array.from({ length: limits.schedules }, () =>
      Array.from({ length: limits.periods_per_schedule }, (_, p) => ({ hour: 0, minute: 0, tariff: p === 0 ? 1 : 0 })),
    ),
    holidays: Array.from({ length: limits.holidays }, () => ({ month: 0, day: 0 })),
    weekend_schedule: 1,
    holiday_schedule: 1,
    seasons: null,
  };
}

/** A plain deep copy holding only the program's own fields, in one key order. */
export function copyProgram(p: TouProgram): TouProgram {
  return {
    schedules: p.schedules.map((s) => s.map(({ hour, minute, tariff }) => ({ hour, minute, tariff }))),
    holidays: p.holidays.map(({ month, day }) => ({ month, day })),
    weekend_schedule: p.weekend_schedule,
    holiday_schedule: p.holiday_schedule,
    seasons: p.seasons ? p.seasons.map(({ month, day, schedule }) => ({ month, day, schedule })) : null,
  };
}

/** A string equal for equal programs, whatever their key order: for "unchanged since" checks. */
export function programKey(p: TouProgram): string {
  return JSON.stringify(copyProgram(p));
}
