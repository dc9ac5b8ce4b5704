// The app's own updates as the window sees them: the quiet check at start, the user's "Check for
// updates", and the update that is ready. Rust downloads and verifies an update before saying it
// is ready, so "Restart and install" is only ever offered for a verified file.
import { ipc, IpcError, type UpdateCheck } from "./ipc";

type Ready = Extract<UpdateCheck, { status: "ready" }>;

export class Updates {
  /** What the last check found. */
  found = $state<UpdateCheck | null>(null);
  checking = $state(false);
  installing = $state(false);
  /** Why the last check made by the user failed (a quiet check fails silently; Rust logs it). */
  error = $state<string | null>(null);
  checkAtStart = $state(true);
  /** The banner was put away with "Later". */
  dismissed = $state(false);

  get ready(): Ready | null {
    return this.found?.status === "ready" ? this.found : null;
  }

  async loadPreferences() {
    try {
      this.checkAtStart = (await ipc.preferences()).checkForUpdatesAtStart;
    } catch (e) {
      this.error = `The preferences could not be read: ${e instanceof IpcError ? e.message : String(e)}`;
    }
  }

  /** Saves the choice; when it cannot be saved, the box shows what is still in force. */
  async setCheckAtStart(on: boolean) {
    this.checkAtStart = on;
    this.error = null;
    try {
      await ipc.setPreferences({ checkForUpdatesAtStart: on });
    } catch (e) {
      this.checkAtStart = !on;
      this.error = `The choice was not saved: ${e instanceof IpcError ? e.message : String(e)}`;
    }
  }

  /** The check at start: nothing is said unless an update is ready. */
  async checkQuietly() {
    try {
      const found = await ipc.checkForUpdates(true);
      if (found.status === "ready") this.found = found;
    } catch {
      // Logged by Rust; a failed background check is no reason to interrupt the user.
    }
  }

  async checkNow() {
    this.checking = true;
    this.error = null;
    try {
      this.found = await ipc.checkForUpdates(false);
      this.dismissed = false;
    } catch (e) {
      this.found = null;
      this.error = e instanceof IpcError ? e.message : String(e);
    } finally {
      this.checking = false;
    }
  }

  async install() {
    this.installing = true;
    this.error = null;
    try {
      await ipc.installUpdate();
    } catch (e) {
      this.error = e instanceof IpcError ? e.message : String(e);
      this.installing = false;
    }
  }
}

export const updates = new Updates();
