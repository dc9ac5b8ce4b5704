// The drift report: which of the selected meters differ from a template, and the user's choice of
// meters to bring in line.
import { SvelteSet } from "svelte/reactivity";
import { ipc, IpcError, type DriftRow, type FleetMeterRef } from "../ipc";

export class DriftFlow {
  template = $state("");
  checking = $state(false);
  error = $state<string | null>(null);
  rows = $state<DriftRow[] | null>(null);
  /** The template the rows were checked against. */
  checkedTemplate = $state("");
  /** Addresses ticked to bring in line. */
  chosen = new SvelteSet<string>();

  async check(template: string, meters: FleetMeterRef[]) {
    this.checking = true;
    this.error = null;
    try {
      this.rows = await ipc.driftReport(template, meters);
      this.checkedTemplate = template;
      this.chosen.clear();
    } catch (e) {
      this.error = e instanceof IpcError ? e.message : String(e);
    } finally {
      this.checking = false;
    }
  }

  chosenRefs(): FleetMeterRef[] {
    return (this.rows ?? []).filter((r) => this.chosen.has(r.at.meter)).map((r) => r.at);
  }
}
