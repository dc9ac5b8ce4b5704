// One fleet job (bulk apply or relay groups) as the UI follows it: each meter's live state from
// the job's events, the overall progress, the run controls, and the report when a run ends.
// Only the user's explicit retry puts a failed or unconfirmed meter back; nothing here resends.
import {
  ipc,
  IpcError,
  type CommandRecord,
  type FleetCounts,
  type FleetMeterRef,
  type FleetMeterState,
  type GatewayLoad,
  type JobEvent,
  type JobReport,
} from "../ipc";

export interface JobRow {
  at: FleetMeterRef;
  state: FleetMeterState;
  commands: CommandRecord[];
}

export interface JobProgress {
  finished: number;
  total: number;
  inFlight: number;
  counts: FleetCounts;
}

/**
 * ready: previewed or reviewed, not run yet; running; pausing: no new meter starts, those under
 * way finish; paused; stopping: like pausing, then the run returns; stopped: the run returned
 * with meters not started; finished: every meter has ended.
 */
export type JobStatus = "ready" | "running" | "pausing" | "paused" | "stopping" | "stopped" | "finished";

const messageOf = (e: unknown) => (e instanceof IpcError ? e.message : String(e));

function countsOf(rows: JobRow[]): FleetCounts {
  const counts: FleetCounts = { pending: 0, running: 0, confirmed: 0, failed: 0, unconfirmed: 0, skipped: 0, stopped: 0 };
  for (const row of rows) counts[row.state.state] += 1;
  return counts;
}

export class FleetJob {
  readonly id: number;
  rows = $state<JobRow[]>([]);
  progress = $state<JobProgress>({ finished: 0, total: 0, inFlight: 0, counts: countsOf([]) });
  status = $state<JobStatus>("ready");
  report = $state<JobReport | null>(null);
  /** Each gateway's share of the job: meters waiting for it, commands under way. */
  gateways = $state<Record<string, GatewayLoad>>({});
  error = $state<string | null>(null);
  /** Where the last export went. */
  exported = $state<string | null>(null);
  readonly #rowIndex = new Map<string, number>();

  constructor(id: number, meters: FleetMeterRef[]) {
    this.id = id;
    this.rows = meters.map((at) => ({ at, state: { state: "pending" }, commands: [] }));
    meters.forEach((at, i) => this.#rowIndex.set(at.meter, i));
    this.progress = { finished: 0, total: meters.length, inFlight: 0, counts: countsOf(this.rows) };
  }

  get active(): boolean {
    return this.status === "running" || this.status === "pausing" || this.status === "paused" || this.status === "stopping";
  }

  rowOf(address: string): JobRow | undefined {
    const index = this.#rowIndex.get(address);
    return index === undefined ? undefined : this.rows[index];
  }

  #onEvent(event: JobEvent) {
    switch (event.event) {
      case "meter": {
        const row = this.rowOf(event.at.meter);
        if (row) row.state = event.state;
        break;
      }
      case "command":
        this.rowOf(event.at.meter)?.commands.push(event.record);
        break;
      case "progress":
        this.progress = { finished: event.finished, total: event.total, inFlight: event.inFlight, counts: event.counts };
        break;
      case "paused":
        if (this.status === "pausing") this.status = "paused";
        break;
      case "gateway":
        this.gateways[event.gatewayId] = {
          gatewayId: event.gatewayId,
          waiting: event.waiting,
          underWay: event.underWay,
          window: event.window,
        };
        break;
    }
  }

  /** Runs (or goes on with) the job until every meter has ended or it is stopped. */
  async run() {
    const before = this.status;
    this.status = "running";
    this.error = null;
    try {
      const report = await ipc.runJob(this.id, (event) => this.#onEvent(event));
      this.#adopt(report);
    } catch (e) {
      this.error = messageOf(e);
      this.status = before === "ready" ? "ready" : "stopped";
    }
  }

  /** The report is the record: every row takes the state it gives. */
  #adopt(report: JobReport) {
    this.report = report;
    for (const reported of report.rows) {
      const row = this.rowOf(reported.at.meter);
      if (row) {
        row.state = reported.state;
        row.commands = reported.commands;
      }
    }
    const counts = report.counts;
    this.progress = {
      finished: counts.confirmed + counts.failed + counts.unconfirmed + counts.skipped,
      total: report.rows.length,
      inFlight: 0,
      counts,
    };
    this.status = counts.stopped > 0 || counts.pending > 0 ? "stopped" : "finished";
  }

  async pause() {
    await this.#control("pausing", () => ipc.pauseJob(this.id));
  }

  async stop() {
    await this.#control("stopping", () => ipc.stopJob(this.id));
  }

  /** After a pause the run goes on by itself; after a stop the run had returned, so it runs again. */
  async resume() {
    const stopped = this.status === "stopped";
    await this.#control(stopped ? "stopped" : "running", () => ipc.resumeJob(this.id));
    if (stopped && !this.error) await this.run();
  }

  async #control(status: JobStatus, call: () => Promise<void>) {
    const before = this.status;
    this.status = status;
    this.error = null;
    try {
      await call();
    } catch (e) {
      this.status = before;
      this.error = messageOf(e);
    }
  }

  /** The user's decision to try these failed or unconfirmed meters once more, now. */
  async retry(meters: FleetMeterRef[]) {
    this.error = null;
    try {
      for (const at of await ipc.retryJob(this.id, meters)) {
        const row = this.rowOf(at.meter);
        if (row) row.state = { state: "pending" };
      }
    } catch (e) {
      this.error = messageOf(e);
      return;
    }
    await this.run();
  }

  async export(format: "csv" | "json") {
    this.error = null;
    try {
      const path = await ipc.exportJobReport(this.id, format);
      if (path) this.exported = path;
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}
