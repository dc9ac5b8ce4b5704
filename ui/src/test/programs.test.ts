// The meter programs are the one IPC shape Rust reads from plain JSON (push3::program::plan),
// so their TypeScript type is written by hand. Rust writes one program of each kind, with every
// field its reader takes, to programs.fixture.json (push3's test `ui_fixture`). Here the
// compiler checks each against `Program` both ways: a field the type lacks, or one it requires
// that Rust no longer writes, fails svelte-check; the tests below check what the editors do with
// them at run time.
import { describe, expect, it } from "vitest";
import { copyProgram } from "../lib/editors/tou/program";
import type { Program, SettingsProgram, TouProgram } from "../lib/ipc";
import fixture from "./programs.fixture.json";
import type { SameKeys } from "./sameKeys";


const tou: TouProgram = fixture.tou.tou;
const settings: SettingsProgram = fixture.settings.settings;
const examples: Program[] = [
  { kind: "tou", tou },
  { kind: "lcd", display_fields: fixture.lcd.display_fields },
  { kind: "settings", settings },
];
const touKeys: SameKeys<typeof fixture.tou.tou, TouProgram> = true;
const settingsKeys: SameKeys<typeof fixture.settings.settings, SettingsProgram> = true;
const lcdKeys: SameKeys<typeof fixture.lcd, Extract<Program, { kind: "lcd" }>> = true;
const periodKeys: SameKeys<(typeof fixture.tou.tou.schedules)[0][0], TouProgram["schedules"][0][0]> = true;

describe("the Program type against Rust's examples", () => {
  it("has every kind Rust plans, and the same keys", () => {
    expect(examples.map((p) => p.kind).sort()).toEqual(Object.keys(fixture).sort());
    expect([touKeys, settingsKeys, lcdKeys, periodKeys]).toEqual([true, true, true, true]);
  });

  it("keeps every field of a TOU program through the editor's copy", () => {
    expect(copyProgram(tou)).toEqual(fixture.tou.tou);
  });
});
