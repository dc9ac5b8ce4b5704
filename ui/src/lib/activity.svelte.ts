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

/** Params that carry a meter password; the log keeps a mask, never the typed digits. */
const SECRET_PARAMS = ["new_password", "meter_password"];

function withoutSecrets(request: CommandRequest): CommandRequest {
  if (!request.params) return request;
  const params = { ...request.params };
  for (const name of SECRET_PARAMS) if (name in params) params[name] = "••••••••";
  return { ...request, params };
}

export function startActivity(request: CommandRequest, meterLabel: string): ActivityEntry {
  const entry: ActivityEntry = {
    id: nextId++,
    request: withoutSecrets(request),
    meterLabel,
    state: "sending",
    startedAt: new Date(),
  };
  activity.entries.unshift(entry);
  if (activity.entries.length > MAX_ACTIVITY) activity.entries.length = MAX_ACTIVITY;
  // Return the reactive proxy, so later updates show.
  return activity.entries[0];
}
