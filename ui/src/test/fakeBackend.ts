// A stand-in for the Rust side in component tests: the same command names and shapes as
// ui/src/lib/ipc.ts declares, with data like the demo gateway's.
import type { InvokeArgs } from "@tauri-apps/api/core";
import type { Gateway, Meter, MeterLimits } from "../lib/ipc";

export const demoGateway: Gateway = {
  id: "demo",
  name: "Demo gateway",
  apiUrl: "http://127.0.0.1:1",
  note: "",
  demo: true,
  keyHint: "••••MDIw",
  hasToken: false,
};

export const demoMeters: Meter[] = [
  { address: "000350000900", nickname: "Main service panel", version: "V4", gatewayId: "demo", tags: ["demo"], hasPassword: false },
  { address: "000000030001", nickname: "Old barn", version: "V3", gatewayId: "demo", tags: ["demo"], hasPassword: false },
];

export const limits: MeterLimits = {
  relays: ["Relay_1", "Relay_2"],
  relay_statuses: ["open", "close"],
  max_relay_duration: 9999,
  default_timeout_secs: 60,
  ct_ratios: [100, 200],
  lcd_items: [],
  max_lcd_items: 40,
};

type Handler = (cmd: string, args?: InvokeArgs) => unknown;

export function fakeBackend(options: { version?: string; send?: Handler } = {}): Handler {
  return (cmd, args) => {
    switch (cmd) {
      case "app_info":
        return { name: "Push3 Desk", version: options.version ?? "0.1.0" };
      case "list_gateways":
        return [demoGateway];
      case "list_meters":
        return demoMeters;
      case "meter_limits":
        return limits;
      case "send_command":
        return options.send?.(cmd, args);
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  };
}
