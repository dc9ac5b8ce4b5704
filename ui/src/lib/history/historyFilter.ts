// The history view's filter form and the HistoryFilter Rust takes: dates picked in the user's
// time zone become RFC 3339 instants, and the "to" day is included (Rust's `to` is exclusive).
import type { AuditOutcome, HistoryFilter } from "../ipc";

/** Entries per page: a few screenfuls, so scrolling rarely waits. */
export const HISTORY_PAGE_SIZE = 100;

export interface HistoryForm {
  /** The normalised meter address (ipc.checkMeterAddress), or "" for every meter. */
  meter: string;
  gatewayId: string;
  command: string;
  outcome: AuditOutcome | "";
  /** YYYY-MM-DD from a date input, or "". */
  fromDate: string;
  toDate: string;
  text: string;
}

export const emptyForm = (): HistoryForm => ({
  meter: "",
  gatewayId: "",
  command: "",
  outcome: "",
  fromDate: "",
  toDate: "",
  text: "",
});

/** Local midnight at the start of `date` plus `days`, as RFC 3339 (UTC). */
export function localMidnight(date: string, days = 0): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(year, month - 1, day + days).toISOString();
}

export function filterOf(form: HistoryForm): HistoryFilter {
  const filter: HistoryFilter = {};
  if (form.meter) filter.meter = form.meter;
  if (form.gatewayId) filter.gatewayId = form.gatewayId;
  if (form.command) filter.command = form.command;
  if (form.outcome) filter.outcome = form.outcome;
  if (form.fromDate) filter.from = localMidnight(form.fromDate);
  if (form.toDate) filter.to = localMidnight(form.toDate, 1);
  if (form.text.trim()) filter.text = form.text.trim();
  return filter;
}

export const OUTCOME_LABEL: Record<AuditOutcome, string> = {
  pending: "Pending",
  interrupted: "Interrupted",
  confirmed: "Confirmed",
  failed: "Failed",
  rejected: "Rejected by the API",
  unconfirmed: "Unconfirmed",
  error: "Not sent",
};

/** What each outcome means, for the detail and the outcome filter's hint. */
export const OUTCOME_MEANING: Record<AuditOutcome, string> = {
  pending: "Sent; no outcome recorded yet.",
  interrupted: "The app or CLI that sent it ended before the outcome was known: it may or may not have run.",
  confirmed: "The meter confirmed it.",
  failed: "The meter or gateway answered with an error.",
  rejected: "The API refused it; nothing reached the meter.",
  unconfirmed: "No answer before the deadline; it may still run later.",
  error: "It could not be sent.",
};

/** The global .state-* colour of an outcome; a command whose fate is unknown shows as unconfirmed. */
export function outcomeClass(outcome: AuditOutcome): string {
  if (outcome === "pending") return "";
  return `state-${outcome === "interrupted" ? "unconfirmed" : outcome}`;
}
