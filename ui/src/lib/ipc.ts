// The one typed door from the webview into Rust. Every command the UI calls is declared here
// with its argument and result types; components never call `invoke` directly.
import { Channel, invoke } from "@tauri-apps/api/core";

/** Stable codes from src-tauri/src/error.rs, the inventory and the push3 client. */
export type ErrorCode =
  | "invalid_input"
  | "unsupported"
  | "internal"
  | "not_found"
  | "duplicate"
  | "io"
  | "keychain_unavailable"
  | "keychain_locked"
  | "invalid_config"
  | "rejected"
  | "network"
  | "http_status"
  | "bad_response";

export interface IpcErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
}

export class IpcError extends Error {
  readonly code: ErrorCode | "unknown";
  readonly field?: string;

  constructor(payload: unknown) {
    const p = isIpcErrorPayload(payload) ? payload : undefined;
    super(p ? p.message : String(payload));
    this.name = "IpcError";
    this.code = p ? p.code : "unknown";
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

/** push3::limits::export(): the validation tables, never retyped in TypeScript. */
export interface MeterLimits {
  relays: string[];
  relay_statuses: string[];
  max_relay_duration: number;
  default_timeout_secs: number;
  ct_ratios: number[];
  lcd_items: { code: number; name: string }[];
  max_lcd_items: number;
  [key: string]: unknown;
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
  sendCommand: (request: CommandRequest, onEvent: (e: CommandEvent) => void) => {
    const channel = new Channel<CommandEvent>();
    channel.onmessage = onEvent;
    return call<Outcome>("send_command", { request, onEvent: channel });
  },
};
