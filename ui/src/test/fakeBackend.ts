// A stand-in for the Rust side in component tests: the same command names and shapes as
// ui/src/lib/ipc.ts declares, with data like the demo gateway's.
import type { Channel, InvokeArgs } from "@tauri-apps/api/core";
import type {
  CommandEvent,
  CommandRequest,
  Draft,
  DraftPart,
  Gateway,
  IpcErrorPayload,
  JsonValue,
  KnownState,
  Meter,
  MeterLimits,
  MeterRef,
  Outcome,
} from "../lib/ipc";
import ipcErrors from "./ipcErrors.fixture.json";
import limitsFixture from "./limits.fixture.json";
import type { SameKeys } from "./sameKeys";

export const demoGateway: Gateway = {
  id: "demo",
  name: "Demo gateway",
  apiUrl: "http://127.0.0.1:1",
  note: "",
  demo: true,
  keyHint: "••••MDIw",
  hasToken: false,
  wireProfile: "nested-from-1",
};

export const demoMeters: Meter[] = [
  { address: "000350000900", nickname: "Main service panel", version: "V4", gatewayId: "demo", tags: ["demo"], hasPassword: false },
  { address: "000000030001", nickname: "Old barn", version: "V3", gatewayId: "demo", tags: ["demo"], hasPassword: false },
];

/** The demo gateway's meters by what the tests need of them: every editor, and the V3 gating. */
export const [v4Meter, v3Meter] = demoMeters;

// Written by push3's test `the_ui_fixture_is_the_export` from push3::tables::export(), so the
// component tests run against the Rust tables themselves, and the compiler holds the MeterLimits
// type to them: a table Rust adds or drops fails svelte-check here.
export const limits: MeterLimits = limitsFixture;
export const limitsKeysMatch: SameKeys<typeof limitsFixture, MeterLimits> = true;

type Handler = (cmd: string, args?: InvokeArgs) => unknown;

/** The real errors the app's commands answer, by name: written by push3-domain's test
 * `the_ui_fakes_only_errors_rust_answers` from calls of the domain itself. */
export const IPC_ERRORS: Record<keyof typeof ipcErrors, IpcErrorPayload> = ipcErrors as Record<keyof typeof ipcErrors, IpcErrorPayload>;
export type RustErrorName = keyof typeof ipcErrors;

/** Throws as Rust does, one of the errors Rust really answers (IPC_ERRORS): a test cannot fake a
 * code, field or wording of its own. */
export function rustError(name: RustErrorName): never {
  throw IPC_ERRORS[name];
}

/** known_state for a meter nothing has been confirmed on or read from yet; `known` fills in parts. */
export function knownState(known: Partial<KnownState> = {}): KnownState {
  return {
    tou: null,
    lcd: null,
    ct_ratio: null,
    max_demand_period: null,
    max_demand_reset_interval: null,
    pulse_input_ratios: [null, null, null],
    pulse_output_ratio: null,
    ...known,
  };
}

/**
 * A send_command stand-in: records each request in `sent` and, as Rust does, reports "sent" and
 * then "finished" over the command's channel before answering with the outcome. `outcome` may
 * depend on the request.
 */
export function fakeSend(outcome: Outcome | ((request: CommandRequest) => Outcome)) {
  const sent: CommandRequest[] = [];
  const send = (_cmd: string, args?: InvokeArgs): Outcome => {
    const { request, onEvent } = args as unknown as { request: CommandRequest; onEvent: Channel<CommandEvent> };
    sent.push(request);
    const answer = typeof outcome === "function" ? outcome(request) : outcome;
    onEvent.onmessage({ event: "sent", msgId: "8fce23ce5d0b11ebb86e4c1d96d9f4c7" });
    onEvent.onmessage({ event: "finished", outcome: answer, elapsedMs: 42 });
    return answer;
  };
  return { send, sent };
}

/** A user's own gateway with one meter on it, for the edit flows. */
export const siteA: Gateway = {
  id: "g-1",
  name: "Site A",
  apiUrl: "https://api.ekmpush.com",
  note: "Boiler room",
  demo: false,
  keyHint: "••••1234",
  hasToken: true,
  wireProfile: "nested-from-1",
};

export const pumpHouse: Meter = {
  address: "000111222333",
  nickname: "Pump house",
  version: "V4",
  gatewayId: "g-1",
  tags: ["north", "pumps"],
  hasPassword: true,
};

export function fakeBackend(
  options: {
    version?: string;
    send?: Handler;
    gateways?: Gateway[];
    meters?: Meter[];
    /** Answers for further commands (plan_program, known_state, …), by command name. */
    handlers?: Record<string, Handler>;
    /** What list_drafts answers: the drafts kept from before. */
    drafts?: Draft[];
    /** Hears each draft saved, and null for each discarded. */
    onDraft?: (draft: Draft | null) => void;
  } = {},
): Handler {
  return (cmd, args) => {
    const handler = options.handlers?.[cmd];
    if (handler) return handler(cmd, args);
    switch (cmd) {
      case "app_info":
        return { name: "Push3 Desk", version: options.version ?? "0.1.0" };
      case "list_gateways":
        return options.gateways ?? [demoGateway];
      case "list_meters":
        return options.meters ?? demoMeters;
      case "meter_limits":
        return limits;
      case "send_command":
        return options.send?.(cmd, args);
      case "watch_store":
      case "watch_close":
        return null;
      case "list_drafts":
        return options.drafts ?? [];
      case "save_draft": {
        const { target, part, value } = args as unknown as { target: MeterRef; part: DraftPart; value: JsonValue };
        const draft: Draft = { ...target, part, value, savedAt: "2026-12-06T09:00:00Z" };
        options.onDraft?.(draft);
        return draft;
      }
      case "discard_draft":
        options.onDraft?.(null);
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  };
}
