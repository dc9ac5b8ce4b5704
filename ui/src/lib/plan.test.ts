import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fakeBackend, fakeSend, v4Meter } from "../test/fakeBackend";
import type { Outcome, Plan } from "./ipc";
import { newRun, sendPlan } from "./plan.svelte";

afterEach(() => clearMocks());

const threeCommands: Plan = {
  commands: [
    { command: "SetCTRatio", params: { ct_ratio: "400" }, summary: "CT ratio 400 A" },
    { command: "SetMaxDemandResetInterval", params: { interval: 1 }, summary: "Reset max demand monthly" },
    { command: "SetPulseOutputRatio", params: { pulse_output_ratio: 200 }, summary: "Pulse output 200" },
  ],
  unchanged: [],
};

const confirmed: Outcome = { status: "confirmed", data: null, timestamp: 1 };

describe("a plan of several commands", () => {
  for (const [what, second] of [
    ["unconfirmed (it may still run)", { status: "unconfirmed" }],
    ["failed", { status: "failed", error: "no ACK from meter", timestamp: 1 }],
  ] as [string, Outcome][]) {
    it(`stops at a second command that is ${what}: the third is never sent`, async () => {
      const { send, sent } = fakeSend((request) => (request.command === "SetMaxDemandResetInterval" ? second : confirmed));
      mockIPC(fakeBackend({ send }));
      const run = await sendPlan(v4Meter, newRun(threeCommands));
      expect(sent.map((r) => r.command)).toEqual(["SetCTRatio", "SetMaxDemandResetInterval"]);
      expect(run.steps.map((s) => s.state)).toEqual(["confirmed", second.status, "not_sent"]);
      expect(run.allConfirmed).toBe(false);
    });
  }

  it("sends all three, in order, when each is confirmed", async () => {
    const { send, sent } = fakeSend(confirmed);
    mockIPC(fakeBackend({ send }));
    const run = await sendPlan(v4Meter, newRun(threeCommands));
    expect(sent.map((r) => r.command)).toEqual(threeCommands.commands.map((c) => c.command));
    expect(run.allConfirmed).toBe(true);
  });
});
