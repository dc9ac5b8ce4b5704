import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { zoomWithKeys } from "./zoom";

afterEach(() => clearMocks());

const press = (target: EventTarget, init: KeyboardEventInit) => {
  const event = new KeyboardEvent("keydown", { cancelable: true, ...init });
  target.dispatchEvent(event);
  return event.defaultPrevented;
};

describe("zoom keys", () => {
  it("ask Rust for a step in with Ctrl or Cmd and + or =, out with −, back to 100% with 0", async () => {
    const directions: number[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "zoom_step") throw new Error(`unexpected ${cmd}`);
      directions.push((args as { direction: number }).direction);
      return 1;
    });
    const target = new EventTarget() as unknown as Window;
    zoomWithKeys(target);
    expect(press(target, { key: "=", ctrlKey: true })).toBe(true);
    press(target, { key: "+", metaKey: true });
    press(target, { key: "-", ctrlKey: true });
    press(target, { key: "0", ctrlKey: true });
    // Plain keys and Alt combinations stay the page's.
    expect(press(target, { key: "=" })).toBe(false);
    expect(press(target, { key: "-", ctrlKey: true, altKey: true })).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(directions).toEqual([1, 1, -1, 0]);
  });
});
