import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { reportUncaughtErrors } from "./uiErrors";
import type { UiErrorReport } from "./ipc";

afterEach(() => clearMocks());

describe("uncaught errors in the window", () => {
  it("reach Rust as one report each, with the error's name, message and stack", async () => {
    const reports: UiErrorReport[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "log_ui_error") throw new Error(`unexpected ${cmd}`);
      reports.push((args as { report: UiErrorReport }).report);
    });
    const target = new EventTarget() as unknown as Window;
    reportUncaughtErrors(target);
    const error = new TypeError("x is undefined");
    target.dispatchEvent(
      Object.assign(new Event("error"), { message: "Uncaught TypeError: x is undefined", filename: "tauri://localhost/index.js", lineno: 3, colno: 9, error }),
    );
    const rejected = new Error("nobody awaited me");
    target.dispatchEvent(Object.assign(new Event("unhandledrejection"), { reason: rejected }));
    target.dispatchEvent(Object.assign(new Event("unhandledrejection"), { reason: "a plain string" }));
    await new Promise((r) => setTimeout(r, 0));
    expect(reports).toEqual([
      {
        kind: "error",
        message: "Uncaught TypeError: x is undefined",
        source: "tauri://localhost/index.js",
        line: 3,
        column: 9,
        stack: error.stack,
      },
      { kind: "unhandledrejection", message: "Error: nobody awaited me", stack: rejected.stack },
      { kind: "unhandledrejection", message: "a plain string", stack: undefined },
    ]);
  });

  it("drops a report Rust cannot take rather than throwing again", async () => {
    // A rejection left unhandled here would fail the run (Vitest reports unhandled errors).
    let attempts = 0;
    mockIPC(() => {
      attempts++;
      throw new Error("the app is closing");
    });
    const target = new EventTarget() as unknown as Window;
    reportUncaughtErrors(target);
    target.dispatchEvent(Object.assign(new Event("error"), { message: "boom" }));
    await new Promise((r) => setTimeout(r, 0));
    expect(attempts).toBe(1);
  });
});
