// Staggered relay groups: the form, Rust's check of it (which creates the job), the user's
// confirmation, then the run. Nothing is sent before the confirmation.
import { ipc, IpcError, type FleetMeterRef, type RelayGroupForm } from "../ipc";
import { FleetJob } from "./job.svelte";

/** A form Rust accepted, waiting for the user's word. */
export interface ReviewedRelayGroups {
  jobId: number;
  meters: FleetMeterRef[];
  summary: string;
}

/** The form's numbers as typed; null while a box is empty. */
export interface RelayGroupInput {
  relay: string;
  status: string;
  timed: boolean;
  duration: number | null;
  groupSize: number | null;
  gap: number | null;
}

/** Rust's field names for the form's numbers, as its errors name them. */
export const RELAY_FIELDS = ["duration", "group_size", "gap_seconds", "relay", "status"] as const;
export type RelayField = (typeof RELAY_FIELDS)[number];

const isRelayField = (field: string | undefined): field is RelayField => RELAY_FIELDS.includes(field as RelayField);

export class RelayFlow {
  input = $state<RelayGroupInput>({ relay: "", status: "close", timed: false, duration: 5, groupSize: 10, gap: 30 });
  fieldErrors = $state<Partial<Record<RelayField, string>>>({});
  error = $state<string | null>(null);
  reviewing = $state(false);
  reviewed = $state<ReviewedRelayGroups | null>(null);
  job = $state<FleetJob | null>(null);

  /** The form as Rust takes it; a box left empty is reported by the UI, as there is no value to check. */
  form(meters: FleetMeterRef[], maxDuration: number): RelayGroupForm | null {
    const { relay, status, timed, duration, groupSize, gap } = this.input;
    const missing: Partial<Record<RelayField, string>> = {};
    const whole = (v: number | null) => v !== null && Number.isFinite(v);
    if (timed && !whole(duration)) missing.duration = "duration: enter the number of seconds";
    // Zero means "hold" on the wire, so a timed action needs at least a second (as on a meter's
    // Relays tab); the upper bound is Rust's to check.
    else if (timed && Number(duration) < 1)
      missing.duration = `duration: ${duration} is not allowed; 1 to ${maxDuration} seconds for a timed action (choose Hold to keep the state)`;
    if (!whole(groupSize)) missing.group_size = "group_size: enter how many meters at a time";
    if (!whole(gap)) missing.gap_seconds = "gap_seconds: enter the seconds between groups";
    this.fieldErrors = missing;
    if (Object.keys(missing).length > 0) return null;
    return {
      meters,
      relay,
      status,
      // 0 holds the state on the wire (SetRelay).
      durationSeconds: timed ? Number(duration) : 0,
      groupSize: Number(groupSize),
      gapSeconds: Number(gap),
    };
  }

  /** Has Rust check the form (and hold the job); the confirmation shows `summary`. */
  async review(meters: FleetMeterRef[], maxDuration: number, summary: string) {
    this.error = null;
    this.reviewed = null;
    const form = this.form(meters, maxDuration);
    if (!form) return;
    this.reviewing = true;
    try {
      const jobId = await ipc.startRelayGroups(form);
      this.reviewed = { jobId, meters, summary };
    } catch (e) {
      const field = e instanceof IpcError && e.code === "invalid_input" ? e.field : undefined;
      const message = e instanceof IpcError ? e.message : String(e);
      if (isRelayField(field)) this.fieldErrors = { [field]: message };
      else this.error = message;
    } finally {
      this.reviewing = false;
    }
  }

  async confirm() {
    const reviewed = this.reviewed;
    if (!reviewed) return;
    this.reviewed = null;
    this.job = new FleetJob(reviewed.jobId, reviewed.meters);
    await this.job.run();
  }

  edited(field: RelayField) {
    delete this.fieldErrors[field];
    this.reviewed = null;
  }
}
