import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { drafts } from "./drafts.svelte";
import { fakeBackend, rustError } from "../test/fakeBackend";
import type { Draft, JsonValue } from "./ipc";

afterEach(() => clearMocks());

const at = { gatewayId: "demo", meter: "000350000900" };

/** A Rust side whose draft writes wait until released, recording what arrives in order. */
function slowStore() {
  const writes: (JsonValue | "discarded")[] = [];
  const releases: (() => void)[] = [];
  const held = <T>(answer: () => T) =>
    new Promise<T>((resolve) => releases.push(() => resolve(answer())));
  mockIPC(
    fakeBackend({
      handlers: {
        save_draft: (_cmd, args) => {
          const { value } = args as unknown as { value: JsonValue };
          return held(() => {
            writes.push(value);
            return { ...at, part: "tou", value, savedAt: "2026-12-06T09:00:00Z" } satisfies Draft;
          });
        },
        discard_draft: () =>
          held(() => {
            writes.push("discarded");
            return null;
          }),
      },
    }),
  );
  const releaseAll = async () => {
    while (releases.length > 0 || writes.length === 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { writes, releases, releaseAll };
}

describe("drafts", () => {
  it("writes only the newest of the changes made while one is on its way, in order", async () => {
    const store = slowStore();
    drafts.put(at, "tou", { weekend_schedule: 2 });
    drafts.put(at, "tou", { weekend_schedule: 3 });
    drafts.put(at, "tou", { weekend_schedule: 4 });
    expect(drafts.get(at, "tou")).toEqual({ weekend_schedule: 4 });
    await store.releaseAll();
    await drafts.settled();
    // The first was on its way; of the two that waited, only the newest was written.
    expect(store.writes).toEqual([{ weekend_schedule: 2 }, { weekend_schedule: 4 }]);
  });

  it("never lets an earlier save land after a discard", async () => {
    const store = slowStore();
    drafts.put(at, "lcd", ["kWh_Tot"]);
    drafts.discard(at, "lcd");
    expect(drafts.has(at, "lcd")).toBe(false);
    expect(drafts.parts(at)).toEqual([]);
    await store.releaseAll();
    await drafts.settled();
    expect(store.writes).toEqual([["kWh_Tot"], "discarded"]);
  });

  it("reads the kept drafts at start and says when one cannot be kept", async () => {
    const kept: Draft[] = [
      { ...at, part: "settings", value: { ct: 400 }, savedAt: "2026-12-05T17:00:00Z" },
      { gatewayId: "demo", meter: "000000030001", part: "tou", value: {}, savedAt: "2026-12-05T16:00:00Z" },
    ];
    mockIPC(fakeBackend({ drafts: kept, handlers: { save_draft: () => rustError("draft_too_large") } }));
    await drafts.load();
    expect(drafts.restored).toEqual(kept);
    expect(drafts.parts(at)).toEqual(["settings"]);
    expect(drafts.any("demo", "000000030001")).toBe(true);
    expect(drafts.get(at, "settings")).toEqual({ ct: 400 });

    drafts.put(at, "advanced", { command: "SetCTRatio", text: "x".repeat(10) });
    await drafts.settled();
    expect(drafts.problem(at, "advanced")).toContain("at most 262144 are kept");
    // Still held in the window, and marked: the user can send it or copy it out.
    expect(drafts.has(at, "advanced")).toBe(true);
  });
});
