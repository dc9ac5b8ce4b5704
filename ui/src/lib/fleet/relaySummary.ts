// The one sentence a relay-group run is confirmed by: what, on how many meters, how fast, and
// about how long it takes.
import { meters } from "./fleetText";

export interface RelayGroupPlan {
  status: string;
  relay: string;
  /** Meters that have relays (V3 meters are skipped and take no place in a group). */
  meterCount: number;
  groupSize: number;
  gapSeconds: number;
  durationSeconds: number;
}

export const relayLabel = (relay: string) => relay.replace("_", " ");

/** Group starts are `gap` apart, so the last one starts (groups − 1) gaps after the first. */
export function relayGroupSeconds(meterCount: number, groupSize: number, gapSeconds: number): number {
  const groups = Math.ceil(meterCount / Math.max(1, groupSize));
  return Math.max(0, groups - 1) * gapSeconds;
}

export function aboutDuration(seconds: number): string {
  if (seconds < 60) return `about ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ""}`;
}

export function relayGroupSummary(plan: RelayGroupPlan): string {
  const action = plan.status === "close" ? "Close" : "Open";
  const what = `${action} ${relayLabel(plan.relay)} on ${meters(plan.meterCount)}`;
  const hold = plan.durationSeconds > 0 ? `, each for ${plan.durationSeconds} s, then it reverts` : ", and hold";
  if (plan.groupSize >= plan.meterCount) return `${what} at once${hold}`;
  const seconds = relayGroupSeconds(plan.meterCount, plan.groupSize, plan.gapSeconds);
  return `${what}, ${plan.groupSize} at a time, ${plan.gapSeconds} s apart${hold}: ${aboutDuration(seconds)}`;
}
