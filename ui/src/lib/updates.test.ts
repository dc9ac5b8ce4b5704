import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import AboutDialog from "./AboutDialog.svelte";
import UpdateBanner from "./UpdateBanner.svelte";
import { updates } from "./updates.svelte";
import { IPC_ERRORS, rustError } from "../test/fakeBackend";
import { appear, byId } from "../test/queries";
import type { UpdateCheck } from "./ipc";

const info = { version: "0.1.0", os: "linux", arch: "x86_64" } as never;
const READY: UpdateCheck = { status: "ready", current: "0.1.0", version: "0.2.0", notes: "Faster bulk apply", date: null };

function backend(answer: () => unknown, checkAtStart = true) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "preferences") return { checkForUpdatesAtStart: checkAtStart };
    if (cmd === "set_preferences" || cmd === "install_update") return null;
    if (cmd === "check_for_updates") return answer();
    throw new Error(`unexpected ${cmd}`);
  });
  return (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}

beforeEach(() => {
  updates.found = null;
  updates.error = null;
  updates.dismissed = false;
  updates.installing = false;
});
afterEach(() => clearMocks());

describe("updates", () => {
  it("a quiet check that finds a verified update shows the banner, which installs on the user's word", async () => {
    const calls = backend(() => READY);
    render(UpdateBanner);
    await updates.checkQuietly();
    expect(calls("check_for_updates")).toEqual([{ quiet: true }]);
    const banner = await appear("update-banner");
    expect(banner.textContent).toContain("Push3 Desk 0.2.0 is ready to install (you have 0.1.0)");
    expect(calls("install_update")).toEqual([]);
    await fireEvent.click(byId("install-update"));
    expect(calls("install_update")).toHaveLength(1);
  });

  it("a quiet check that fails or finds nothing says nothing", async () => {
    backend(() => rustError("update_bad_signature"));
    render(UpdateBanner);
    await updates.checkQuietly();
    expect(byId("update-banner")).toBeNull();
    expect(updates.error).toBeNull();
  });

  it("Later puts the banner away", async () => {
    backend(() => READY);
    render(UpdateBanner);
    await updates.checkQuietly();
    await fireEvent.click(await appear("update-later"));
    expect(byId("update-banner")).toBeNull();
  });

  it("Check for updates says what it found: the latest, or a refusal in Rust's words", async () => {
    let answer: () => unknown = () => ({ status: "upToDate", current: "0.1.0" });
    const calls = backend(() => answer());
    render(AboutDialog, { info, onclose: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Check for updates" }));
    expect((await screen.findByText("0.1.0 is the latest version."))).toBeTruthy();
    expect(calls("check_for_updates")).toEqual([{ quiet: false }]);

    answer = () => rustError("update_bad_signature");
    await fireEvent.click(screen.getByRole("button", { name: "Check for updates" }));
    expect((await appear("update-error")).textContent).toBe(IPC_ERRORS.update_bad_signature.message);
    expect(byId("install-update-about")).toBeNull();

    answer = () => READY;
    await fireEvent.click(screen.getByRole("button", { name: "Check for updates" }));
    expect((await appear("install-update-about")).textContent).toContain("Restart and install 0.2.0");
    expect(byId("update-notes")?.textContent).toBe("Faster bulk apply");
    expect(byId("update-error")).toBeNull();
  });

  it("the check at start is shown as saved and can be turned off", async () => {
    const calls = backend(() => READY, false);
    render(AboutDialog, { info, onclose: () => {} });
    const box = byId("check-at-start") as HTMLInputElement;
    await expect.poll(() => box.checked).toBe(false);
    await fireEvent.click(box);
    expect(calls("set_preferences")).toEqual([{ preferences: { checkForUpdatesAtStart: true } }]);
  });

  it("a choice that cannot be saved is put back and says why", async () => {
    mockIPC((cmd) => {
      if (cmd === "preferences") return { checkForUpdatesAtStart: true };
      if (cmd === "set_preferences") return rustError("preferences_unsaved");
      throw new Error(`unexpected ${cmd}`);
    });
    render(AboutDialog, { info, onclose: () => {} });
    const box = byId("check-at-start") as HTMLInputElement;
    await expect.poll(() => box.checked).toBe(true);
    await fireEvent.click(box);
    await expect.poll(() => box.checked).toBe(true);
    expect((await appear("update-error")).textContent).toBe(`The choice was not saved: ${IPC_ERRORS.preferences_unsaved.message}`);
  });
});
