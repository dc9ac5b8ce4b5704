// The activity log of this window: every command sent, with its live state. Bounded so a long
// session does not grow without limit.
import type { CommandRequest, Outcome } from "./ipc";

export type ActivityState = "sending" | "sent" | Outcome["status"] | "error";

export interface ActivityEntry {
  id: number;
  request: CommandRequest;
  meterLabel: string;
  state: ActivityState;
  msgId?: string;
  error?: string;
  startedAt: Date;
  elapsedMs?: number;
}

export const MAX_ACTIVITY = 200;

let nextId = 1;

export const activity = $state<{ entries: ActivityEntry[] }>({ entries: [] });

export function startActivity(request: CommandRequest, meterLabel: string): ActivityEntry {
  const entry: ActivityEntry = { id: nextId++, request, meterLabel, state: "sending", startedAt: new Date() };
  activity.entries.unshift(entry);
  if (activity.entries.length > MAX_ACTIVITY) activity.entries.length = MAX_ACTIVITY;
  // Return the reactive proxy, so later updates show.
  return activity.entries[0];
}
