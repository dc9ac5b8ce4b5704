// Plain words for each state of a command, shared by the relay panel and the activity log.
import type { ActivityState } from "./activity.svelte";

export const STATE_LABEL: Record<ActivityState, string> = {
  sending: "Sending…",
  sent: "Sent, waiting for the gateway",
  confirmed: "Confirmed",
  failed: "Failed",
  rejected: "Rejected by the API",
  unconfirmed: "Unconfirmed",
  error: "Not sent",
};

export const UNCONFIRMED_MEANING =
  "The gateway did not answer in time. The command may still run later, when the gateway " +
  "picks it up. Push3 Desk will not send it again: check the meter before you decide to resend.";
