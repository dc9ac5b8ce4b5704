import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import DiagnosticsButton from "./DiagnosticsButton.svelte";
import { IPC_ERRORS, rustError } from "../test/fakeBackend";

afterEach(() => clearMocks());

describe("DiagnosticsButton", () => {
  it("asks Rust to copy the report once per click and says it was copied without secrets", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return "Push3 Desk 0.1.0\nOS: linux x86_64\n";
    });
    render(DiagnosticsButton);
    const button = screen.getByRole("button", { name: "Copy diagnostics" });
    expect(button.getAttribute("aria-describedby")).toBe("diagnostics-what");
    await fireEvent.click(button);
    const status = screen.getByRole("status");
    await screen.findByText("Copied, keys and passwords removed");
    expect(status.dataset.state).toBe("copied");
    expect(calls).toEqual(["copy_diagnostics"]);
  });

  it("shows Rust's message when the clipboard cannot be written", async () => {
    mockIPC(() => rustError("clipboard_unavailable"));
    render(DiagnosticsButton);
    await fireEvent.click(screen.getByRole("button", { name: "Copy diagnostics" }));
    expect((await screen.findByRole("alert")).textContent).toBe(IPC_ERRORS.clipboard_unavailable.message);
    expect(screen.getByRole("status").textContent?.trim()).toBe("");
  });

  it("asks Rust to open the log folder, and shows why when it cannot", async () => {
    const calls: string[] = [];
    let fail = false;
    mockIPC((cmd) => {
      calls.push(cmd);
      if (fail) rustError("cannot_open_log_folder");
    });
    render(DiagnosticsButton);
    await fireEvent.click(screen.getByRole("button", { name: "Open log folder" }));
    expect(calls).toEqual(["open_log_folder"]);
    expect(screen.queryByRole("alert")).toBeNull();
    fail = true;
    await fireEvent.click(screen.getByRole("button", { name: "Open log folder" }));
    expect((await screen.findByRole("alert")).textContent).toBe(IPC_ERRORS.cannot_open_log_folder.message);
  });
});
