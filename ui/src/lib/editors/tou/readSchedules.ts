// Reading the meter's time-of-use program: GetSchedules through the activity log, then Rust's
// parser for its (undocumented, G29) payload.
import type { ActivityEntry } from "../../activity.svelte";
import { ipc, type Meter, type SchedulesReading } from "../../ipc";
import { STATE_LABEL } from "../../outcomeText";
import { sendTracked } from "../../send.svelte";

export interface SchedulesRead {
  entry: ActivityEntry;
  /** Null unless the read was confirmed. */
  reading: SchedulesReading | null;
}

export async function readSchedules(meter: Meter): Promise<SchedulesRead> {
  let data: unknown = null;
  const entry = await sendTracked(
    { gatewayId: meter.gatewayId, meter: meter.address, command: "GetSchedules", params: {} },
    meter.nickname || meter.address,
    (d) => (data = d),
  );
  if (entry.state !== "confirmed") return { entry, reading: null };
  return { entry, reading: await ipc.parseSchedules(data) };
}

/** Why a read gave nothing, e.g. "GetSchedules was not confirmed (Unconfirmed): …". */
export function unreadReason(entry: ActivityEntry): string {
  const why = entry.state === "unconfirmed" ? ": the gateway did not answer in time" : entry.error ? `: ${entry.error}` : "";
  return `GetSchedules was not confirmed (${STATE_LABEL[entry.state]})${why}.`;
}
