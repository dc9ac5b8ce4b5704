// A stand-in for the Rust fleet and audit commands in component tests: the demo gateway's five
// meters, templates, bulk previews, jobs whose events the test emits one by one (so it can
// pause, stop and look in between), drift reports and a paged history of any length.
import type { Channel, InvokeArgs } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  AuditOutcome,
  BulkPreview,
  FleetCounts,
  FleetMeterRef,
  FleetMeterState,
  Gateway,
  HistoryCursor,
  HistoryEntry,
  HistoryFilter,
  IpcErrorPayload,
  JobEvent,
  JobReport,
  Meter,
  TemplateInfo,
  Verdict,
} from "../lib/ipc";
import { demoGateway, fakeBackend } from "./fakeBackend";

/** The demo gateway's meters (src-tauri/sim): the end-to-end test's five. */
export const fiveDemoMeters: Meter[] = [
  { address: "000350000900", nickname: "Main service panel", version: "V4", gatewayId: "demo", tags: ["demo"], hasPassword: false },
  { address: "000300004127", nickname: "Rooftop HVAC", version: "V4", gatewayId: "demo", tags: ["demo", "hvac"], hasPassword: false },
  { address: "000000030001", nickname: "Old barn", version: "V3", gatewayId: "demo", tags: ["demo"], hasPassword: false },
  { address: "000400012345", nickname: "EV charger", version: "V5", gatewayId: "demo", tags: ["demo", "ev"], hasPassword: false },
  { address: "000350001234", nickname: "Guest house", version: "V4", gatewayId: "demo", tags: ["demo"], hasPassword: true },
];

export const ref = (meter: string, gatewayId = "demo"): FleetMeterRef => ({ gatewayId, meter });

export const lcdTemplate: TemplateInfo = {
  name: "Office display",
  kind: "lcd",
  program: { kind: "lcd", display_fields: ["kWh_Tot", "Rev_kWh_Tot"] },
};

export const settingsTemplate: TemplateInfo = {
  name: "CT 200",
  kind: "settings",
  program: {
    kind: "settings",
    settings: { ct_ratio: 200, max_demand_period: null, max_demand_reset_interval: null, pulse_input_ratios: [null, null, null], pulse_output_ratio: null },
  },
};

/** `count` meters spread over two gateways, every version, for the 1,000-meter tests. */
export function manyMeters(count: number): { gateways: Gateway[]; meters: Meter[] } {
  const north: Gateway = { ...demoGateway, id: "north", name: "North site", demo: false };
  const versions = ["V3", "V4", "V5"] as const;
  const meters = Array.from({ length: count }, (_, i) => ({
    address: String(100000000 + i).padStart(12, "0"),
    nickname: `Meter ${i + 1}`,
    version: versions[i % 3],
    gatewayId: i % 2 === 0 ? "demo" : "north",
    tags: i % 10 === 0 ? ["pumps"] : [],
    hasPassword: false,
  }));
  return { gateways: [demoGateway, north], meters };
}

const noCounts = (): FleetCounts => ({ pending: 0, running: 0, confirmed: 0, failed: 0, unconfirmed: 0, skipped: 0, stopped: 0 });

export function countsOf(states: FleetMeterState[]): FleetCounts {
  const counts = noCounts();
  for (const s of states) counts[s.state] += 1;
  return counts;
}

/** A preview of these verdicts, with its counts. */
export function previewOf(jobId: number, rows: { at: FleetMeterRef; verdict: Verdict }[]): BulkPreview {
  const count = (v: Verdict["verdict"]) => rows.filter((r) => r.verdict.verdict === v).length;
  return {
    jobId,
    preview: {
      rows,
      wouldChange: count("wouldChange"),
      complies: count("complies"),
      cannotTake: count("cannotTake"),
      readFailed: count("readFailed"),
    },
  };
}

/** A report in which each meter ended as given (no command records). */
export function reportOf(rows: { at: FleetMeterRef; state: FleetMeterState }[]): JobReport {
  return { counts: countsOf(rows.map((r) => r.state)), rows: rows.map((r) => ({ ...r, commands: [] })) };
}

/** A progress event for these meter states. */
export function progressOf(states: FleetMeterState[]): JobEvent {
  const counts = countsOf(states);
  return {
    event: "progress",
    finished: counts.confirmed + counts.failed + counts.unconfirmed + counts.skipped,
    total: states.length,
    inFlight: counts.running,
    counts,
  };
}

/** One run_job call: the test emits its events and ends it. */
export class ScriptedRun {
  readonly jobId: number;
  readonly done: Promise<JobReport>;
  readonly #channel: Channel<JobEvent>;
  #finish!: (report: JobReport) => void;

  constructor(jobId: number, channel: Channel<JobEvent>) {
    this.jobId = jobId;
    this.#channel = channel;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  emit(...events: JobEvent[]) {
    for (const event of events) this.#channel.onmessage(event);
  }

  finish(report: JobReport) {
    this.#finish(report);
  }
}

export interface FleetCall {
  cmd: string;
  args: Record<string, unknown>;
}

type Handler = (args: Record<string, unknown>) => unknown;

/** Answers by command name, given the command's arguments. */
export type FleetHandlers = Record<string, Handler>;

export { rustError } from "./fakeBackend";

/**
 * Mocks the IPC with the fleet commands recorded in `calls`. `handlers` answer the commands
 * the test cares about (preview_bulk, drift_report, …); run_job becomes a ScriptedRun in `runs`.
 */
export function fleetBackend(
  options: { meters?: Meter[]; gateways?: Gateway[]; templates?: TemplateInfo[]; handlers?: FleetHandlers } = {},
) {
  const calls: FleetCall[] = [];
  const runs: ScriptedRun[] = [];
  const templates = [...(options.templates ?? [lcdTemplate])];
  const defaults: Record<string, Handler> = {
    list_templates: () => [...templates],
    run_job: (args) => {
      const run = new ScriptedRun(args.jobId as number, args.onEvent as Channel<JobEvent>);
      runs.push(run);
      return run.done;
    },
    pause_job: () => null,
    resume_job: () => null,
    stop_job: () => null,
    retry_job: (args) => args.meters,
    export_job_report: (args) => `/home/me/report.${args.format}`,
    show_in_folder: () => null,
  };
  const handlers = Object.fromEntries(
    Object.entries({ ...defaults, ...options.handlers }).map(([cmd, handler]) => [
      cmd,
      (_cmd: string, args?: InvokeArgs) => {
        const given = (args ?? {}) as Record<string, unknown>;
        calls.push({ cmd, args: given });
        return handler(given);
      },
    ]),
  );
  mockIPC(fakeBackend({ meters: options.meters ?? fiveDemoMeters, gateways: options.gateways, handlers }));
  return {
    calls,
    runs,
    callsOf: (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
  };
}

/**
 * A history of `total` entries, newest first (id `total` is the newest), served in keyset pages
 * as Rust does: a page starts after its `before` cursor.
 */
export function historyOf(total: number, outcome: (id: number) => AuditOutcome = () => "confirmed") {
  const start = Date.UTC(2026, 10, 23, 12, 0, 0);
  const entry = (id: number): HistoryEntry => ({
    id,
    time: new Date(start + id * 1000).toISOString(),
    source: "app",
    gatewayId: "demo",
    gatewayName: "Demo gateway",
    meter: "000350000900",
    command: "SetRelay",
    params: { relay: "Relay_1", status: "close", duration: 0, meter_password: "••••••••" },
    summary: "Relay 1: close and hold",
    outcome: outcome(id),
    msgId: `msg-${id}`,
    errorText: null,
    roundTripMs: 180,
    channel: `response_${id}`,
    fate: null,
  });
  const pages: { filter: HistoryFilter; before?: HistoryCursor; limit: number }[] = [];
  const history: Handler = (args) => {
    const page = args.page as { before?: HistoryCursor; limit: number };
    pages.push({ filter: args.filter as HistoryFilter, ...page });
    const first = page.before ? page.before.id - 1 : total;
    const ids = Array.from({ length: Math.max(0, Math.min(page.limit, first)) }, (_, i) => first - i);
    const entries = ids.map(entry);
    const last = entries.at(-1);
    const next = last && last.id > 1 ? { timeMs: Date.parse(last.time), id: last.id } : null;
    return { entries, next };
  };
  return { pages, history, history_count: () => total, entry };
}
