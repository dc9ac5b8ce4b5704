// The Fleet view's state for the life of the window: the meter selection and each panel's job,
// kept while the user looks at other views, since a job goes on running in Rust meanwhile.
import { SvelteSet } from "svelte/reactivity";
import { ApplyFlow } from "./applyFlow.svelte";
import { DriftFlow } from "./driftFlow.svelte";
import { RelayFlow } from "./relayFlow.svelte";

export type FleetMode = "apply" | "relays" | "drift";

/** The meter table's filters; empty strings match everything. */
export interface MeterFilter {
  text: string;
  gatewayId: string;
  tag: string;
  version: string;
}

export class FleetSession {
  /** Addresses of the selected meters. */
  selected = new SvelteSet<string>();
  filter = $state<MeterFilter>({ text: "", gatewayId: "", tag: "", version: "" });
  mode = $state<FleetMode>("apply");
  apply = new ApplyFlow();
  relays = new RelayFlow();
  drift = new DriftFlow();
}
