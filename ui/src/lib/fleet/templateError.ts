// Rust names the first bad field of a template by its JSON path and starts its message with it
// ("program.tou.schedules[1][2].tariff: 5 is not allowed; …"); a message that does not is given
// the path here, so the user always sees where the file is wrong.
import { IpcError } from "../ipc";

export function templateErrorText(e: unknown): string {
  if (!(e instanceof IpcError)) return String(e);
  const field = e.field;
  return field && !e.message.includes(field) ? `${field}: ${e.message}` : e.message;
}
