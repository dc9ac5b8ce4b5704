// Sends a planned change one command at a time, in order, each through the activity log. It
// stops at the first command that is not confirmed: what follows is left unsent (and shown so),
// and nothing is ever sent twice.
import type { ActivityEntry } from "./activity.svelte";
import { IpcError, type Meter, type Plan, type PlannedCommand } from "./ipc";
import { sendTracked } from "./send.svelte";

export type StepState = "waiting" | ActivityEntry["state"] | "not_sent";

export interface PlanStep {
  planned: PlannedCommand;
  state: StepState;
  error?: string;
  elapsedMs?: number;
  /** The confirmed response's `data`, for reads. */
  data?: unknown;
}

export interface PlanRun {
  steps: PlanStep[];
  done: boolean;
  /** True when every command was confirmed. */
  allConfirmed: boolean;
}

export function newRun(plan: Plan): PlanRun {
  return {
    steps: plan.commands.map((planned) => ({ planned, state: "waiting" })),
    done: false,
    allConfirmed: false,
  };
}

/** Runs `run` (a reactive object from `newRun`) to the end; resolves when nothing is in flight. */
export async function sendPlan(meter: Meter, run: PlanRun): Promise<PlanRun> {
  const label = meter.nickname || meter.address;
  let stopped = false;
  for (const step of run.steps) {
    if (stopped) {
      step.state = "not_sent";
      continue;
    }
    step.state = "sending";
    try {
      const entry = await sendTracked(
        { gatewayId: meter.gatewayId, meter: meter.address, command: step.planned.command, params: step.planned.params },
        label,
        (data) => (step.data = data),
      );
      step.state = entry.state;
      step.error = entry.error;
      step.elapsedMs = entry.elapsedMs;
    } catch (e) {
      step.state = "error";
      step.error = e instanceof IpcError ? e.message : String(e);
    }
    if (step.state !== "confirmed") stopped = true;
  }
  run.done = true;
  run.allConfirmed = run.steps.every((s) => s.state === "confirmed");
  return run;
}
