// Program paths as Rust names them in errors and differences ("schedules[1][2].tariff",
// "holidays[3]", "weekend_schedule"; indexes 0-based), and what the editor marks under each.
import type { Difference } from "../../ipc";

export const schedulePath = (schedule: number) => `schedules[${schedule}]`;
export const periodPath = (schedule: number, period: number) => `schedules[${schedule}][${period}]`;
export const holidayPath = (slot: number) => `holidays[${slot}]`;
export const seasonPath = (slot: number) => `seasons[${slot}]`;

/** True when `path` is `base` itself or a part of it ("holidays[3].day" is within "holidays[3]"). */
export function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/** The 0-based schedule index a path points into, or null. */
export function scheduleIndexOf(path: string): number | null {
  const match = /^schedules\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : null;
}

/** An invalid value Rust refused, at a program path. */
export interface FieldError {
  path: string;
  message: string;
}

/** Id of the one field error message shown next to its field, for aria-describedby. */
export const FIELD_ERROR_ID = "tou-field-error";

/** aria attributes of a field: while `invalid`, marked so and pointing at the field error message. */
export function fieldErrorAttrs(invalid: boolean) {
  return invalid ? { "aria-invalid": "true" as const, "aria-describedby": FIELD_ERROR_ID } : {};
}

/** What the editor knows of the meter against the edit, for per-value marks. */
export interface MeterMarks {
  /** Where the edit and the meter differ. */
  differences: Difference[];
  /** True after a read-back of what was sent: every value without a difference is verified. */
  verified: boolean;
}

/** Differences about `base`, its parts, or a whole that contains it. */
export function differencesAt(marks: MeterMarks | null, base: string): Difference[] {
  if (!marks) return [];
  return marks.differences.filter((d) => within(d.path, base) || within(base, d.path));
}
