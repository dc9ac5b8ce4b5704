import { IpcError } from "./ipc";

/**
 * A form dialog's one operation at a time (save or remove): `busy` while it runs, and the error
 * Rust answered with when it fails, for the dialog to show without closing.
 */
export class FormAction {
  busy = $state(false);
  error = $state<IpcError | null>(null);

  async run(op: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await op();
    } catch (e) {
      this.error = e instanceof IpcError ? e : new IpcError(e);
    } finally {
      this.busy = false;
    }
  }
}
