// The one typed door from the webview into Rust. Every command the UI calls is declared here
// with its argument and result types; components never call `invoke` directly.
import { Channel, invoke } from "@tauri-apps/api/core";
import { ERROR_CODES, type ErrorCode } from "./errorCode";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuditOutcome } from "./bindings/AuditOutcome";
import type { BulkPreview } from "./bindings/BulkPreview";
import type { CommandEvent } from "./bindings/CommandEvent";
import type { CommandRecord } from "./bindings/CommandRecord";
import type { CommandRequest } from "./bindings/CommandRequest";
import type { Difference } from "./bindings/Difference";
import type { Draft } from "./bindings/Draft";
import type { UiErrorReport } from "./bindings/UiErrorReport";
import type { UpdateCheck } from "./bindings/UpdateCheck";
import type { RateImport } from "./bindings/RateImport";
import type { RateOptions } from "./bindings/RateOptions";
import type { RememberedRate } from "./bindings/RememberedRate";
import type { CostEstimate } from "./bindings/CostEstimate";
import type { MonthUse } from "./bindings/MonthUse";
import type { Preferences } from "./bindings/Preferences";
import type { RunningJob } from "./bindings/RunningJob";
import type { WorkInFlight } from "./bindings/WorkInFlight";
import type { DraftPart } from "./bindings/DraftPart";
import type { DriftRow } from "./bindings/DriftRow";
import type { DriftStatus } from "./bindings/DriftStatus";
import type { FleetCounts } from "./bindings/FleetCounts";
import type { FleetMeterRef } from "./bindings/FleetMeterRef";
import type { FleetMeterState } from "./bindings/FleetMeterState";
import type { Gateway } from "./bindings/Gateway";
import type { GatewayEdit } from "./bindings/GatewayEdit";
import type { GatewayLoad } from "./bindings/GatewayLoad";
import type { GatewayForm } from "./bindings/GatewayForm";
import type { HistoryCursor } from "./bindings/HistoryCursor";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { HistoryFilter } from "./bindings/HistoryFilter";
import type { HistoryPage } from "./bindings/HistoryPage";
import type { HistoryPageRequest } from "./bindings/HistoryPageRequest";
import type { Holiday } from "./bindings/Holiday";
import type { JobEvent } from "./bindings/JobEvent";
import type { JobReport } from "./bindings/JobReport";
import type { Known } from "./bindings/Known";
import type { KnownState } from "./bindings/KnownState";
import type { Meter } from "./bindings/Meter";
import type { MeterClock } from "./bindings/MeterClock";
import type { MeterEdit } from "./bindings/MeterEdit";
import type { MeterForm } from "./bindings/MeterForm";
import type { MeterRef } from "./bindings/MeterRef";
import type { MeterVersion } from "./bindings/MeterVersion";
import type { MonthKwh } from "./bindings/MonthKwh";
import type { Outcome } from "./bindings/Outcome";
import type { Period } from "./bindings/Period";
import type { Plan } from "./bindings/Plan";
import type { PlannedCommand } from "./bindings/PlannedCommand";
import type { RelayGroupForm } from "./bindings/RelayGroupForm";
import type { SchedulesReading } from "./bindings/SchedulesReading";
import type { Season } from "./bindings/Season";
import type { SkipReason } from "./bindings/SkipReason";
import type { StoreChange } from "./bindings/StoreChange";
import type { TariffData } from "./bindings/TariffData";
import type { TemplateKind } from "./bindings/TemplateKind";
import type { TouProgram } from "./bindings/TouProgram";
import type { Verdict } from "./bindings/Verdict";
import type { ConnectionTest } from "./bindings/ConnectionTest";
import type { GatewayTestForm } from "./bindings/GatewayTestForm";
import type { ProbeCheck } from "./bindings/ProbeCheck";
import type { SlotShift } from "./bindings/SlotShift";
import type { TouComparison } from "./bindings/TouComparison";
import type { WireProfileInfo } from "./bindings/WireProfileInfo";
import type { LoadedWireProfile } from "./bindings/LoadedWireProfile";
import type { TemplateInfo as TemplateInfoBinding } from "./bindings/TemplateInfo";
import type { JsonValue } from "./bindings/serde_json/JsonValue";

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

// Everything Rust sends or takes is typed by the Rust types themselves: ts-rs writes
// ui/src/lib/bindings/, and a push3-domain test (tests/ipc_bindings.rs) fails when that folder
// is not what Rust would write. Only what Rust reads from plain JSON with a parser of its own
// (one that names the first bad field) is declared here, below the re-exports.
/** A JSON object as Rust reads it: a command's params, for one. */
export type JsonObject = { [key in string]: JsonValue };

export type {
  JsonValue,
  ConnectionTest,
  GatewayTestForm,
  ProbeCheck,
  SlotShift,
  TouComparison,
  WireProfileInfo,
  LoadedWireProfile,
  Draft,
  UiErrorReport,
  UpdateCheck,
  Preferences,
  RateImport,
  RateOptions,
  RememberedRate,
  CostEstimate,
  MonthUse,
  RunningJob,
  WorkInFlight,
  DraftPart,
  AppInfo,
  AuditOutcome,
  BulkPreview,
  CommandEvent,
  CommandRecord,
  CommandRequest,
  Difference,
  DriftRow,
  DriftStatus,
  FleetCounts,
  FleetMeterRef,
  FleetMeterState,
  Gateway,
  GatewayEdit,
  GatewayLoad,
  GatewayForm,
  HistoryCursor,
  HistoryEntry,
  HistoryFilter,
  HistoryPage,
  HistoryPageRequest,
  Holiday,
  JobEvent,
  JobReport,
  Known,
  KnownState,
  Meter,
  MeterClock,
  MeterEdit,
  MeterForm,
  MeterRef,
  MeterVersion,
  MonthKwh,
  Outcome,
  Period,
  Plan,
  PlannedCommand,
  RelayGroupForm,
  SchedulesReading,
  Season,
  SkipReason,
  StoreChange,
  TariffData,
  TemplateKind,
  TouProgram,
  Verdict,
};

// ---- Declared here. The limits are pinned by limits.fixture.json, which Rust writes
// ---- (src/test/limits.test.ts); the programs by Rust's own examples (src/test/programs.test.ts).

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
  /** The one pulse output line sent with SetPulseOutputRatio (G23). */
  pulse_output_line: number;
  demand_periods: { code: number; minutes: number }[];
  demand_reset_intervals: { code: number; name: string }[];
  min_year: number;
  max_year: number;
  password_digits: number;
  factory_password: string;
  /** Meter addresses are this many digits; shorter input is zero-padded (G37). */
  address_digits: number;
  /** Responses asked for again on every subscription (G6). */
  stream_backtrack: number;
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

/** A template as the UI lists it; its program is one of the editors' programs. */
export type TemplateInfo = Omit<TemplateInfoBinding, "program"> & { program: Program };

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
  /**
   * Calls `onRequest` when the window is closed while work is under way, with what would stop;
   * the window then stays open until `quit`.
   */
  watchClose: (onRequest: (work: WorkInFlight) => void) => {
    const channel = new Channel<WorkInFlight>();
    channel.onmessage = onRequest;
    return call<void>("watch_close", { onRequest: channel });
  },
  /** Quits at once, stopping whatever is under way: the answer to the close question. */
  quit: () => call<void>("quit"),
  /** Zooms one step in (1), out (−1) or back to 100% (0), remembered; answers the new zoom. */
  zoomStep: (direction: 1 | -1 | 0) => call<number>("zoom_step", { direction }),
  listGateways: () => call<Gateway[]>("list_gateways"),
  addGateway: (form: GatewayForm) => call<Gateway>("add_gateway", { form }),
  editGateway: (id: string, form: GatewayEdit) => call<Gateway>("edit_gateway", { id, form }),
  removeGateway: (id: string) => call<void>("remove_gateway", { id }),
  /**
   * Tests a gateway as the dialog holds it, unsaved: one read to one meter proves the key and
   * token, then its answer the response stream. Blank key or token boxes of a stored gateway
   * stand for the stored ones. The read is in the history.
   */
  testGateway: (form: GatewayTestForm) => call<ConnectionTest>("test_gateway", { form }),
  listWireProfiles: () => call<WireProfileInfo[]>("list_wire_profiles"),
  /**
   * Picks a wire profile file, checks it and keeps it, saying what it replaced and for whom;
   * null when the dialog was cancelled.
   */
  loadWireProfile: () => call<LoadedWireProfile | null>("load_wire_profile"),
  removeWireProfile: (id: string) => call<void>("remove_wire_profile", { id }),
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
  /** Each difference, and the schedule slot shift that explains them when there is one. */
  compareTou: (expected: TouProgram, actual: TouProgram) =>
    call<TouComparison>("compare_tou", { expected, actual }),
  parseTariffData: (data: unknown) => call<TariffData>("parse_tariff_data", { data }),
  /** The wall-clock time now in an IANA zone, e.g. "Europe/Berlin", as SetTime params. */
  meterClockNow: (timeZone: string) => call<MeterClock>("meter_clock_now", { timeZone }),
  timeZones: () => call<string[]>("time_zones"),
  /** Every meter's unsent editor drafts, newest first. */
  listDrafts: () => call<Draft[]>("list_drafts"),
  /** Keeps an editor's state as the meter's draft for `part` (one per meter and editor). */
  saveDraft: (target: MeterRef, part: DraftPart, value: JsonValue) =>
    call<Draft>("save_draft", { target, part, value }),
  discardDraft: (target: MeterRef, part: DraftPart) => call<void>("discard_draft", { target, part }),
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
  history: (filter: HistoryFilter, page: HistoryPageRequest) =>
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
  /** Asks for a utility rate file (OpenEI URDB JSON); its text, or null when cancelled. */
  pickRateFile: () => call<string | null>("pick_rate_file"),
  /** A utility rate made into a TOU program, with what the meter cannot hold of it. */
  translateRate: (text: string, options: RateOptions) => call<RateImport>("translate_rate", { text, options }),
  /** Remembers the rate whose program was put in the Time of use editor, for cost estimates. */
  rememberRate: (target: MeterRef, rate: RememberedRate) => call<RememberedRate>("remember_rate", { target, rate }),
  /** Each month's estimated energy cost with the meter's remembered rate; null without one. */
  estimateCosts: (target: MeterRef, uses: MonthUse[]) => call<CostEstimate | null>("estimate_costs", { target, uses }),
  /**
   * Looks for a newer version; one found is downloaded and its signature verified before it is
   * offered. `quiet` is the check at start, skipped when the user turned it off.
   */
  checkForUpdates: (quiet: boolean) => call<UpdateCheck>("check_for_updates", { quiet }),
  /** Installs the update the last check made ready and restarts into it. */
  installUpdate: () => call<void>("install_update"),
  preferences: () => call<Preferences>("preferences"),
  setPreferences: (preferences: Preferences) => call<void>("set_preferences", { preferences }),
  /** Shows a file the app exported in the system's file manager; other paths are refused. */
  showInFolder: (path: string) => call<void>("show_in_folder", { path }),
  /** Opens the app's log folder in the system's file manager. */
  openLogFolder: () => call<void>("open_log_folder"),
  /** Writes an error the window did not catch to the app's log (uiErrors.ts). */
  logUiError: (report: UiErrorReport) => call<void>("log_ui_error", { report }),
};
