// Errors thrown in the window that nothing caught go to the app's log through Rust (redacted
// there, like every log line), so the support report carries them. Reporting must never throw
// or report itself: a failed report is dropped.
import { ipc, type UiErrorReport } from "./ipc";

function reportOf(event: ErrorEvent | PromiseRejectionEvent): UiErrorReport {
  if ("reason" in event) {
    const reason: unknown = event.reason;
    const error = reason instanceof Error ? reason : undefined;
    return {
      kind: "unhandledrejection",
      message: error ? `${error.name}: ${error.message}` : String(reason),
      stack: error?.stack,
    };
  }
  const error = event.error instanceof Error ? event.error : undefined;
  return {
    kind: "error",
    message: event.message || (error ? `${error.name}: ${error.message}` : "unknown error"),
    source: event.filename || undefined,
    line: event.lineno || undefined,
    column: event.colno || undefined,
    stack: error?.stack,
  };
}

/** Listens on `target` (the window) for uncaught errors and unhandled rejections. */
export function reportUncaughtErrors(target: Window = window): void {
  const report = (event: ErrorEvent | PromiseRejectionEvent) => {
    ipc.logUiError(reportOf(event)).catch(() => {});
  };
  target.addEventListener("error", report);
  target.addEventListener("unhandledrejection", report);
}
