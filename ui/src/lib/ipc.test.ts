import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./errorCode";
import { IpcError } from "./ipc";

describe("IpcError", () => {
  it("keeps every code Rust's ErrorCode lists, with the message and the field", () => {
    for (const code of ERROR_CODES) {
      const e = new IpcError({ code, message: `about ${code}`, field: "to" });
      expect([e.code, e.message, e.field]).toEqual([code, `about ${code}`, "to"]);
    }
  });

  it("calls a code Rust does not list unknown, but still shows its message", () => {
    const e = new IpcError({ code: "invalid", message: "to: must be after from" });
    expect(e.code).toBe("unknown");
    expect(e.message).toBe("to: must be after from");
  });
});
