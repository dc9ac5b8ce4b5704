// The one typed door from the webview into Rust. Every command the UI calls is declared here
// with its argument and result types; components never call `invoke` directly.
import { invoke } from "@tauri-apps/api/core";

export type ErrorCode = "invalid";

/** The error shape every Rust command returns (src-tauri/src/error.rs). */
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

interface Commands {
  app_info: { args: Record<string, never>; result: AppInfo };
  check_meter_address: { args: { input: string }; result: string };
}

export interface AppInfo {
  name: string;
  version: string;
}

async function call<K extends keyof Commands>(
  command: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(command, args);
  } catch (e) {
    throw new IpcError(e);
  }
}

export const ipc = {
  appInfo: () => call("app_info", {}),
  checkMeterAddress: (input: string) => call("check_meter_address", { input }),
};
