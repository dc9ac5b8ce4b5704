// Plain words for the fleet engine's states, verdicts and drift statuses, shared by the apply,
// relay-group and drift panels so a state reads the same wherever it shows.
import type { DriftStatus, FleetMeterState, FleetMeterRef, Meter, TemplateKind, Verdict } from "../ipc";

export const KIND_LABEL: Record<TemplateKind, string> = {
  lcd: "Display",
  tou: "Time of use",
  settings: "Settings",
};

export type MeterStateName = FleetMeterState["state"];

export const METER_STATE_LABEL: Record<MeterStateName, string> = {
  pending: "Waiting",
  running: "Sending",
  confirmed: "Confirmed",
  failed: "Failed",
  unconfirmed: "Unconfirmed",
  skipped: "Skipped",
  stopped: "Not started",
};

/** One line on what became of a meter, for the job table. */
export function meterStateDetail(state: FleetMeterState): string {
  switch (state.state) {
    case "pending":
      return "";
    case "running":
      return `Command ${state.done + 1} of ${state.of} under way`;
    case "confirmed":
      return "Every command confirmed";
    case "failed":
      return state.error;
    case "unconfirmed":
      return `${state.command} got no answer (msg id ${state.msgId ?? "none"})`;
    case "skipped":
      return state.reason.why === "complies" ? "Already complies: nothing sent" : `Cannot take it: ${state.reason.reason}`;
    case "stopped":
      return "Stopped before it started; Resume starts it";
  }
}

export const VERDICT_LABEL: Record<Verdict["verdict"], string> = {
  wouldChange: "Would change",
  complies: "Complies (skipped)",
  cannotTake: "Cannot take it (skipped)",
  readFailed: "Read-back failed",
};

/** One line on what a run would do to a meter, for the preview table. */
export function verdictDetail(verdict: Verdict): string {
  switch (verdict.verdict) {
    case "wouldChange":
      return verdict.plan.commands.map((c) => c.summary).join("; ");
    case "complies":
      return verdict.unchanged.length > 0 ? `Already holds: ${verdict.unchanged.join("; ")}` : "Already holds it";
    case "cannotTake":
      return verdict.reason;
    case "readFailed":
      return `${verdict.error}. Would send everything known to differ: ${verdict.plan.commands.length} commands`;
  }
}

export const DRIFT_LABEL: Record<DriftStatus["drift"], string> = {
  inLine: "In line",
  differs: "Differs",
  unknown: "Unknown",
  cannotTake: "Cannot take it",
};

export const BASIS_LABEL = { readNow: "read from the meter now", recorded: "recorded by this app" } as const;

/** One line on a meter's drift, for the drift table. */
export function driftDetail(status: DriftStatus): string {
  switch (status.drift) {
    case "inLine":
      return `Holds the template (${BASIS_LABEL[status.basis]})`;
    case "differs": {
      const parts = status.differences.map((d) => `${d.label}: ${d.expected} → ${d.actual}`);
      if (status.unknown.length > 0) parts.push(`not known: ${status.unknown.join(", ")}`);
      return parts.join("; ");
    }
    case "unknown":
      return status.why;
    case "cannotTake":
      return status.reason;
  }
}

export const refOf = (meter: Meter): FleetMeterRef => ({ gatewayId: meter.gatewayId, meter: meter.address });

/** "Main service panel (000350000900)", or the address alone for a meter without a nickname. */
export function meterName(address: string, meter: Meter | undefined): string {
  return meter?.nickname ? `${meter.nickname} (${address})` : address;
}

/** "1 meter", "12 meters". */
export const meters = (n: number) => (n === 1 ? "1 meter" : `${n.toLocaleString()} meters`);
