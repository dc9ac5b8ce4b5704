// Written by push3-domain's test `the_ui_error_codes_are_the_rust_enum` from
// src-tauri/domain/src/error.rs: every code an IPC error can carry. Do not edit.
export const ERROR_CODES = [
  "invalid_input",
  "unsupported",
  "internal",
  "not_found",
  "duplicate",
  "in_use",
  "io",
  "keychain_unavailable",
  "keychain_locked",
  "invalid_config",
  "rejected",
  "network",
  "http_status",
  "bad_response",
  "database",
  "busy",
  "newer_schema",
  "corrupt",
  "already_finished",
  "update_refused",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
