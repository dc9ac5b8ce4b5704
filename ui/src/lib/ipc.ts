// The one typed door from the webview into Rust. Every command the UI calls is declared here
// with its argument and result types; components never call `invoke` directly.
import { Channel, invoke } from "@tauri-apps/api/core";
import { ERROR_CODES, type ErrorCode } from "./errorCode";

/** Every code an IPC error can carry: Rust's `ErrorCode`, written out by a Rust test. */
export type { ErrorCode };

export interface IpcErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
}

export class IpcError extends Error {
  /** "unknown" only for something Rust's `ErrorCode` does not list: a bug to report, not a case. */
  readonly code: ErrorCode | "unknown";
  readonly field?: string;

  constructor(payload: unknown) {
    const p = isIpcErrorPayload(payload) ? payload : undefined;
    super(p ? p.message : String(payload));
    this.name = "IpcError";
    this.code = p && (ERROR_CODES as readonly string[]).includes(p.code) ? p.code : "unknown";
    this.field = p?.field;
  }
}

function isIpcErrorPayload(value: unknown): value is IpcErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcErrorPayload).code === "string" &&
    typeof (value as IpcErrorPayload).message === "string"
  );
}

/** Which parts of the store another process (or this app) changed. */
export interface StoreChange {
  /** Gateways, meters or their tags. */
  inventory: boolean;
  /** The audit log: a command recorded, accepted or settled. */
  audit: boolean;
  templates: boolean;
}

export interface AppInfo {
  name: string;
  version: string;
}

export type MeterVersion = "V3" | "V4" | "V5";

/** A gateway as the webview may see it: a masked key hint, never the key. */
export interface Gateway {
  id: string;
  name: string;
  apiUrl: string;
  note: string;
  demo: boolean;
  keyHint: string;
  hasToken: boolean;
}

export interface Meter {
  address: string;
  nickname: string;
  version: MeterVersion;
  gatewayId: string;
  tags: string[];
  hasPassword: boolean;
}

export interface GatewayForm {
  name: string;
  apiUrl?: string;
  key: string;
  token?: string;
  note?: string;
}

export interface MeterForm {
  gatewayId: string;
  address: string;
  version: MeterVersion;
  nickname?: string;
  tags?: string[];
  password?: string;
}

/**
 * The edit-gateway form (src-tauri/src/desk/forms.rs): an absent field keeps its value, so a
 * key or token is sent only when the user typed a new one.
 */
export interface GatewayEdit {
  name?: string;
  apiUrl?: string;
  note?: string;
  key?: string;
  token?: string;
  clearToken?: boolean;
}

/** The edit-meter form; as for gateways, an absent field keeps its value. */
export interface MeterEdit {
  nickname?: string;
  version?: MeterVersion;
  tags?: string[];
  password?: string;
  clearPassword?: boolean;
}

/** src-tauri/push3/src/client/outcome.rs */
export type Outcome =
  | { status: "confirmed"; data: unknown; timestamp: number }
  | { status: "failed"; error: string; timestamp: number }
  | { status: "rejected"; error: string }
  | { status: "unconfirmed" };

export type CommandEvent =
  | { event: "sent"; msgId: string }
  | { event: "finished"; outcome: Outcome; elapsedMs: number };

export interface CommandRequest {
  gatewayId: string;
  meter: string;
  command: string;
  params?: Record<string, unknown>;
}

/** One LCD item (push3::limits::LCD_ITEMS): wire name, friendly label, group and unit. */
export interface LcdItemInfo {
  code: number;
  name: string;
  label: string;
  group: string;
  unit: string;
}

/** push3::tables::export(): the validation tables, never retyped in TypeScript. */
export interface MeterLimits {
  relays: string[];
  relay_statuses: string[];
  max_relay_duration: number;
  default_timeout_secs: number;
  ct_ratios: number[];
  /** Keyed by the CT ratio as a decimal string. */
  pulse_output_ratios_by_ct: Record<string, number[]>;
  any_pulse_output_ratio: number[];
  lcd_items: LcdItemInfo[];
  /** Group names in display order (energy, power, volts, …). */
  lcd_groups: string[];
  min_lcd_items: number;
  max_lcd_items: number;
  schedules: number;
  periods_per_schedule: number;
  tariffs: number;
  holidays: number;
  seasons: number;
  history_months: number;
  pulse_lines: number;
  min_pulse_input_ratio: number;
  max_pulse_input_ratio: number;
  demand_periods: { code: number; minutes: number }[];
  demand_reset_intervals: { code: number; name: string }[];
  min_year: number;
  max_year: number;
  password_digits: number;
  factory_password: string;
  /** Every command the validator knows, in the seed's order (push3::CommandKind::ALL). */
  commands: CommandInfo[];
}

export interface CommandInfo {
  name: string;
  /** False for the V4/V5-only commands (reference §4). */
  v3: boolean;
  read: boolean;
  /** Confirm with the user first (SetMeterPassword, SetMaxDemandResetNow, SetZeroResettableKWH). */
  destructive: boolean;
  experimental: boolean;
}

// ---- Meter programs: what an editor holds. Rust (push3::program) validates them and plans the
// ---- commands that take the meter from what is known of it to the program.

/** From hour:minute on, the meter counts into `tariff` (1-4); 0/0/0 is an unused period. */
export interface Period {
  hour: number;
  minute: number;
  tariff: number;
}

/** A yearly holiday; 0/0 is an unused slot. */
export interface Holiday {
  month: number;
  day: number;
}

/** From month/day on, weekdays follow `schedule` (1-6); 0/0/0 is an unused season. */
export interface Season {
  month: number;
  day: number;
  schedule: number;
}

export interface TouProgram {
  /** 6 schedules × 4 periods; schedule n is `schedules[n - 1]`. */
  schedules: Period[][];
  /** Always the whole 20-slot table. */
  holidays: Holiday[];
  weekend_schedule: number;
  holiday_schedule: number;
  /** 4 seasons, or null when seasons are not managed (experimental switch off). */
  seasons: Season[] | null;
}

/** Settings the user may set; null leaves that setting as it is. */
export interface SettingsProgram {
  ct_ratio: number | null;
  /** Wire code 1/2/4 (limits.demand_periods). */
  max_demand_period: number | null;
  /** Wire code 0-4 (limits.demand_reset_intervals). */
  max_demand_reset_interval: number | null;
  /** Pulse inputs 1-3, in order. */
  pulse_input_ratios: (number | null)[];
  pulse_output_ratio: number | null;
}

export type Program =
  | { kind: "tou"; tou: TouProgram }
  | { kind: "lcd"; display_fields: string[] }
  | { kind: "settings"; settings: SettingsProgram };

/** One command that will go out, exactly as sent (the meter password is added in Rust). */
export interface PlannedCommand {
  command: string;
  params: Record<string, unknown>;
  /** One line for people, e.g. "Schedule 2: 00:00 T1, 07:00 T2, 19:00 T3, unused". */
  summary: string;
}

export interface Plan {
  /** Only what differs from what is known of the meter, in sending order. */
  commands: PlannedCommand[];
  /** Parts left out because the meter already holds them, for people. */
  unchanged: string[];
}

/** Where a value came from: a confirmed write by this app, or a read from the meter. */
export interface Known<T> {
  value: T;
  /** RFC 3339. */
  at: string;
  source: "confirmed_write" | "read_back";
}

/** What this app knows of a meter's settings (none of them can be read through the API except TOU). */
export interface KnownState {
  tou: Known<TouProgram> | null;
  lcd: Known<string[]> | null;
  ct_ratio: Known<number> | null;
  max_demand_period: Known<number> | null;
  max_demand_reset_interval: Known<number> | null;
  pulse_input_ratios: (Known<number> | null)[];
  pulse_output_ratio: Known<number> | null;
}

/** A value read back that is not what was written (or differs from the unsaved edit). */
export interface Difference {
  /** Program path, e.g. "schedules[1][2].tariff", "holidays[3]", "weekend_schedule". */
  path: string;
  /** For people, e.g. "Schedule 2, period 3 tariff". */
  label: string;
  expected: string;
  actual: string;
}

/** GetSchedules' `data` as far as its shape is known (ASSUMPTION G29); the rest stays raw. */
export interface SchedulesReading {
  /** Null when the payload does not have the assumed shape; then only `extra` is shown. */
  program: TouProgram | null;
  extra: Record<string, unknown>;
}

export interface MonthKwh {
  total: number;
  tariffs: number[];
}

/** GetTariffData's `data`: month 0 is the most recent; unknown keys stay raw in `extra`. */
/** push3's TariffData: both directions, and every other key of the reading beside them (Rust
 * flattens the keys it does not know into the same object). */
export type TariffData = { forward: MonthKwh[]; reverse: MonthKwh[]; [key: string]: unknown };

/** SetTime's params for a wall-clock time, and how it reads for people. */
export interface MeterClock {
  params: { year: string; month: string; day: string; hour: string; minutes: string; seconds: string };
  display: string;
}

export interface MeterRef {
  gatewayId: string;
  meter: string;
}

// ---- Fleet work: templates, bulk apply, relay groups, drift (push3-fleet) and the audit
// ---- history (push3-audit). Shapes follow those crates' serde attributes.

export type TemplateKind = "lcd" | "tou" | "settings";

export interface TemplateInfo {
  name: string;
  kind: TemplateKind;
  /** The Program JSON (kind + its fields), as planProgram takes it. */
  program: Program;
}

export interface FleetMeterRef {
  gatewayId: string;
  meter: string;
}

export type Verdict =
  | { verdict: "wouldChange"; plan: Plan }
  | { verdict: "complies"; unchanged: string[] }
  | { verdict: "cannotTake"; reason: string }
  | { verdict: "readFailed"; error: string; plan: Plan };

export interface BulkPreview {
  jobId: number;
  preview: {
    rows: { at: FleetMeterRef; verdict: Verdict }[];
    wouldChange: number;
    complies: number;
    cannotTake: number;
    readFailed: number;
  };
}

export type SkipReason = { why: "complies" } | { why: "cannotTake"; reason: string };

export type FleetMeterState =
  | { state: "pending" }
  | { state: "running"; done: number; of: number }
  | { state: "confirmed" }
  | { state: "failed"; error: string }
  | { state: "unconfirmed"; command: string; msgId: string | null }
  | { state: "skipped"; reason: SkipReason }
  | { state: "stopped" };

export interface FleetCounts {
  pending: number;
  running: number;
  confirmed: number;
  failed: number;
  unconfirmed: number;
  skipped: number;
  stopped: number;
}

export interface CommandRecord {
  command: string;
  summary: string;
  result:
    | { result: "answered"; msgId: string | null; outcome: Outcome; elapsedMs: number }
    | { result: "notSent"; error: { code: string; message: string } };
}

export type JobEvent =
  | { event: "meter"; at: FleetMeterRef; state: FleetMeterState }
  | { event: "command"; at: FleetMeterRef; record: CommandRecord }
  | { event: "progress"; finished: number; total: number; inFlight: number; counts: FleetCounts }
  | { event: "paused" };

export interface JobReport {
  counts: FleetCounts;
  rows: { at: FleetMeterRef; state: FleetMeterState; commands: CommandRecord[] }[];
}

export interface RelayGroupForm {
  meters: FleetMeterRef[];
  relay: string;
  status: string;
  durationSeconds: number;
  groupSize: number;
  gapSeconds: number;
}

export type DriftStatus =
  | { drift: "inLine"; basis: "readNow" | "recorded" }
  | { drift: "differs"; basis: "readNow" | "recorded"; differences: Difference[]; unknown: string[] }
  | { drift: "unknown"; why: string }
  | { drift: "cannotTake"; reason: string };

export interface DriftRow {
  at: FleetMeterRef;
  status: DriftStatus;
}

export type AuditOutcome = "pending" | "interrupted" | "confirmed" | "failed" | "rejected" | "unconfirmed" | "error";

/** Every field optional; `from` inclusive, `to` exclusive (RFC 3339). */
export interface HistoryFilter {
  meter?: string;
  gatewayId?: string;
  command?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  text?: string;
}

export interface HistoryCursor {
  timeMs: number;
  id: number;
}

export interface HistoryEntry {
  id: number;
  time: string;
  source: "app" | "cli";
  gatewayId: string;
  gatewayName: string;
  meter: string;
  command: string;
  /** With meter passwords masked. */
  params: Record<string, unknown>;
  summary: string;
  outcome: AuditOutcome;
  msgId: string | null;
  errorText: string | null;
  roundTripMs: number | null;
  /** The response channel the API named when it accepted the command. */
  channel: string | null;
  /** For a command without an outcome (pending, interrupted): whether the API had accepted it. */
  fate: string | null;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next: HistoryCursor | null;
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new IpcError(e);
  }
}

export const ipc = {
  appInfo: () => call<AppInfo>("app_info"),
  /**
   * Calls `onChange` with the parts of the store that changed: a `push3` command or another
   * process wrote to it (or this app did). Rust checks about twice a second.
   */
  watchStore: (onChange: (change: StoreChange) => void) => {
    const channel = new Channel<StoreChange>();
    channel.onmessage = onChange;
    return call<void>("watch_store", { onChange: channel });
  },
  listGateways: () => call<Gateway[]>("list_gateways"),
  addGateway: (form: GatewayForm) => call<Gateway>("add_gateway", { form }),
  editGateway: (id: string, form: GatewayEdit) => call<Gateway>("edit_gateway", { id, form }),
  removeGateway: (id: string) => call<void>("remove_gateway", { id }),
  checkMeterAddress: (input: string) => call<string>("check_meter_address", { input }),
  listMeters: () => call<Meter[]>("list_meters"),
  addMeter: (form: MeterForm) => call<Meter>("add_meter", { form }),
  editMeter: (address: string, form: MeterEdit) => call<Meter>("edit_meter", { address, form }),
  removeMeter: (address: string) => call<void>("remove_meter", { address }),
  meterLimits: () => call<MeterLimits>("meter_limits"),
  /** Validates one command as it would be sent (version, ranges); returns its wire params. */
  checkCommand: (request: CommandRequest) => call<Record<string, unknown>>("check_command", { request }),
  /**
   * The commands that take the meter from what is known of it to `program`; `force` plans every
   * part even if the meter is known to hold it. An invalid value fails with `field` set to its
   * program path (e.g. "schedules[1][2].tariff", "display_fields[3]", "pulse_output_ratio").
   */
  planProgram: (target: MeterRef, program: Program, force = false) =>
    call<Plan>("plan_program", { target, program, force }),
  knownState: (target: MeterRef) => call<KnownState>("known_state", { target }),
  parseSchedules: (data: unknown) => call<SchedulesReading>("parse_schedules", { data }),
  compareTou: (expected: TouProgram, actual: TouProgram) =>
    call<Difference[]>("compare_tou", { expected, actual }),
  parseTariffData: (data: unknown) => call<TariffData>("parse_tariff_data", { data }),
  /** The wall-clock time now in an IANA zone, e.g. "Europe/Berlin", as SetTime params. */
  meterClockNow: (timeZone: string) => call<MeterClock>("meter_clock_now", { timeZone }),
  timeZones: () => call<string[]>("time_zones"),
  listTemplates: () => call<TemplateInfo[]>("list_templates"),
  /** Validates and saves; an invalid program fails with `field` = its path in the program. */
  saveTemplate: (name: string, program: Program) => call<TemplateInfo>("save_template", { name, program }),
  removeTemplate: (name: string) => call<void>("remove_template", { name }),
  /** Opens the OS file dialog in Rust; null when cancelled. A foreign file fails naming the field. */
  importTemplate: () => call<TemplateInfo | null>("import_template"),
  exportTemplate: (name: string) => call<string | null>("export_template", { name }),
  /** Reads back TOU meters first; the job then waits for runJob. */
  previewBulk: (template: string, meters: FleetMeterRef[]) =>
    call<BulkPreview>("preview_bulk", { template, meters }),
  startRelayGroups: (form: RelayGroupForm) => call<number>("start_relay_groups", { form }),
  /** Runs (or resumes) a job to its end or a stop; never resends confirmed or unconfirmed meters. */
  runJob: (jobId: number, onEvent: (e: JobEvent) => void) => {
    const channel = new Channel<JobEvent>();
    channel.onmessage = onEvent;
    return call<JobReport>("run_job", { jobId, onEvent: channel });
  },
  pauseJob: (jobId: number) => call<void>("pause_job", { jobId }),
  resumeJob: (jobId: number) => call<void>("resume_job", { jobId }),
  stopJob: (jobId: number) => call<void>("stop_job", { jobId }),
  /** The user's decision to try these failed or unconfirmed meters again on the next run. */
  retryJob: (jobId: number, meters: FleetMeterRef[]) => call<FleetMeterRef[]>("retry_job", { jobId, meters }),
  exportJobReport: (jobId: number, format: "csv" | "json") =>
    call<string | null>("export_job_report", { jobId, format }),
  driftReport: (template: string, meters: FleetMeterRef[]) =>
    call<DriftRow[]>("drift_report", { template, meters }),
  history: (filter: HistoryFilter, page: { before?: HistoryCursor; limit: number }) =>
    call<HistoryPage>("history", { filter, page }),
  historyCount: (filter: HistoryFilter) => call<number>("history_count", { filter }),
  exportHistory: (filter: HistoryFilter) => call<string | null>("export_history", { filter }),
  sendCommand: (request: CommandRequest, onEvent: (e: CommandEvent) => void) => {
    const channel = new Channel<CommandEvent>();
    channel.onmessage = onEvent;
    return call<Outcome>("send_command", { request, onEvent: channel });
  },
  /**
   * Puts the support report (version, OS, the last log lines with secrets redacted) on the
   * system clipboard from Rust, and returns the text copied.
   */
  copyDiagnostics: () => call<string>("copy_diagnostics"),
};
