// One meter command sent at the user's word: a confirm step, then exactly one send, then its
// outcome kept for the state box. Nothing here resends; a second click while a command is in
// flight is ignored.
import type { ActivityEntry } from "../activity.svelte";
import { IpcError, type JsonObject, type Meter } from "../ipc";
import { sendTracked } from "../send.svelte";

export function asIpcError(e: unknown): IpcError {
  return e instanceof IpcError ? e : new IpcError(e);
}

export class CommandAction {
  confirming = $state(false);
  sending = $state(false);
  /** The last command's activity entry, with its final state. */
  last = $state<ActivityEntry | null>(null);
  /** Why the last command did not go out (Rust refused it, or the IPC call failed). */
  error = $state<IpcError | null>(null);

  readonly #meter: () => Meter;

  /** `meter` is read at send time, so the action always targets the page's meter. */
  constructor(meter: () => Meter) {
    this.#meter = meter;
  }

  async send(
    command: string,
    params: JsonObject,
    onData?: (data: unknown) => void,
  ): Promise<ActivityEntry | null> {
    if (this.sending) return null;
    const meter = this.#meter();
    this.confirming = false;
    this.error = null;
    this.last = null;
    this.sending = true;
    try {
      this.last = await sendTracked(
        { gatewayId: meter.gatewayId, meter: meter.address, command, params },
        meter.nickname || meter.address,
        onData,
        (entry) => (this.last = entry),
      );
      return this.last;
    } catch (e) {
      this.error = asIpcError(e);
      return null;
    } finally {
      this.sending = false;
    }
  }
}
