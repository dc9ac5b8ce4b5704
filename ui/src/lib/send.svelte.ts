// Sends a command and mirrors its progress into the activity log. Never resends: whatever the
// outcome, the entry shows it and the user decides what to do next.
import { startActivity, type ActivityEntry } from "./activity.svelte";
import { ipc, IpcError, type CommandRequest } from "./ipc";

/**
 * `onData` receives a confirmed response's `data` (the payload of a Get… command); `onStart`
 * receives the live activity entry at once, so a caller can show "sent" while it waits.
 */
export async function sendTracked(
  request: CommandRequest,
  meterLabel: string,
  onData?: (data: unknown) => void,
  onStart?: (entry: ActivityEntry) => void,
): Promise<ActivityEntry> {
  const entry = startActivity(request, meterLabel);
  onStart?.(entry);
  try {
    await ipc.sendCommand(request, (e) => {
      if (e.event === "sent") {
        entry.state = "sent";
        entry.msgId = e.msgId;
      } else {
        entry.state = e.outcome.status;
        entry.elapsedMs = e.elapsedMs;
        if (e.outcome.status === "failed" || e.outcome.status === "rejected") entry.error = e.outcome.error;
        if (e.outcome.status === "confirmed") onData?.(e.outcome.data);
      }
    });
  } catch (e) {
    entry.state = "error";
    entry.error = e instanceof IpcError ? e.message : String(e);
    throw e;
  }
  return entry;
}
