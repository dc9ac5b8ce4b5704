// Bulk apply as the user goes through it: a template and meters, a preview from read-back (which
// creates the job in Rust), then the run. The drift report's "bring in line" enters here too, so
// a fix goes through the same preview and engine.
import { ipc, IpcError, type BulkPreview, type FleetMeterRef, type Verdict } from "../ipc";
import { FleetJob } from "./job.svelte";

/** What a preview was made for, to tell when the choices above no longer match it. */
export interface PreviewBasis {
  template: string;
  meters: FleetMeterRef[];
  /** Made from the drift report's selection rather than the meter selection. */
  fromDrift: boolean;
}

export type PreviewResult = BulkPreview["preview"];

export class ApplyFlow {
  template = $state("");
  previewing = $state(false);
  error = $state<string | null>(null);
  preview = $state<PreviewResult | null>(null);
  basis = $state<PreviewBasis | null>(null);
  /** Created by the preview; runs when the user says Run. */
  job = $state<FleetJob | null>(null);
  #verdicts = new Map<string, Verdict>();

  async previewFor(template: string, meters: FleetMeterRef[], fromDrift = false) {
    this.template = template;
    this.previewing = true;
    this.error = null;
    try {
      const { jobId, preview } = await ipc.previewBulk(template, meters);
      this.#verdicts = new Map(preview.rows.map((r) => [r.at.meter, r.verdict]));
      this.preview = preview;
      this.basis = { template, meters, fromDrift };
      this.job = new FleetJob(
        jobId,
        preview.rows.map((r) => r.at),
      );
    } catch (e) {
      this.error = e instanceof IpcError ? e.message : String(e);
    } finally {
      this.previewing = false;
    }
  }

  verdictOf(address: string): Verdict | undefined {
    return this.#verdicts.get(address);
  }
}
