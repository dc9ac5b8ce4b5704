import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import FleetView from "./FleetView.svelte";
import { FleetSession } from "./session.svelte";
import { demoGateway, limits } from "../../test/fakeBackend";
import { fiveDemoMeters, fleetBackend, previewOf, progressOf, ref, reportOf, type ScriptedRun } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";
import type { FleetMeterState, JobEvent, Verdict } from "../ipc";
import { UNCONFIRMED_MEANING } from "../outcomeText";

afterEach(() => clearMocks());

const JOB = 7;
const [main, hvac, barn, ev, guest] = fiveDemoMeters.map((m) => m.address);
const setLcd = (summary = "Display: kWh total, reverse kWh total"): Extract<Verdict, { verdict: "wouldChange" }> => ({
  verdict: "wouldChange",
  plan: { commands: [{ command: "SetLCD", params: { display_fields: ["kWh_Tot", "Rev_kWh_Tot"] }, summary }], unchanged: [] },
});
const v3Refused: Verdict = { verdict: "cannotTake", reason: "SetLCD needs a V4 or V5 meter" };

/** The end-to-end journey's preview: four V4/V5 meters would change, the V3 one cannot take it. */
const demoPreview = previewOf(JOB, [
  { at: ref(main), verdict: setLcd() },
  { at: ref(hvac), verdict: setLcd() },
  { at: ref(barn), verdict: v3Refused },
  { at: ref(ev), verdict: setLcd() },
  { at: ref(guest), verdict: setLcd() },
]);

async function openFleet(preview = demoPreview) {
  const backend = fleetBackend({ handlers: { preview_bulk: () => preview } });
  const session = new FleetSession();
  render(FleetView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, session });
  await screen.findByRole("option", { name: "Office display (Display)" });
  return { ...backend, session };
}

async function previewAll() {
  await fireEvent.click(byId("fleet-select-all"));
  await fireEvent.change(byId("fleet-template"), { target: { value: "Office display" } });
  await fireEvent.click(byId("fleet-preview"));
  return appear<HTMLButtonElement>("fleet-run");
}

const jobRow = (address: string) => document.querySelector<HTMLElement>(`[data-job-meter="${address}"]`)!;
const meterEvent = (address: string, state: FleetMeterState): JobEvent => ({ event: "meter", at: ref(address), state });

async function startRun(backend: { runs: ScriptedRun[] }): Promise<ScriptedRun> {
  await fireEvent.click(byId("fleet-run"));
  return waitFor(() => {
    const run = backend.runs.at(-1);
    if (!run) throw new Error("run_job was not called");
    return run;
  });
}

describe("Bulk apply", () => {
  it("previews the selected meters and shows each verdict with its counts", async () => {
    const preview = previewOf(JOB, [
      { at: ref(main), verdict: setLcd() },
      { at: ref(hvac), verdict: { verdict: "complies", unchanged: ["Display list"] } },
      { at: ref(barn), verdict: v3Refused },
      { at: ref(ev), verdict: { verdict: "readFailed", error: "GetSchedules: no answer", plan: setLcd().plan } },
      { at: ref(guest), verdict: setLcd() },
    ]);
    const { callsOf } = await openFleet(preview);
    const run = await previewAll();

    expect(callsOf("preview_bulk")).toEqual([{ template: "Office display", meters: fiveDemoMeters.map((m) => ref(m.address)) }]);
    const verdicts = [...document.querySelectorAll<HTMLElement>("[data-preview-meter]")].map((r) => [r.dataset.previewMeter, r.dataset.verdict]);
    expect(verdicts).toEqual([
      [main, "wouldChange"],
      [hvac, "complies"],
      [barn, "cannotTake"],
      [ev, "readFailed"],
      [guest, "wouldChange"],
    ]);
    const barnRow = document.querySelector<HTMLElement>(`[data-preview-meter="${barn}"]`)!;
    expect(barnRow.textContent).toContain("Cannot take it (skipped)");
    expect(barnRow.textContent).toContain("SetLCD needs a V4 or V5 meter");
    expect(document.querySelector(`[data-preview-meter="${main}"]`)!.textContent).toContain("Display: kWh total, reverse kWh total");
    expect(byId("fleet-preview-count-would-change").textContent).toContain("Would change: 2");
    expect(byId("fleet-preview-count-complies").textContent).toContain("Complies (skipped): 1");
    expect(byId("fleet-preview-count-cannot-take").textContent).toContain("1");
    expect(byId("fleet-preview-count-read-failed").textContent).toContain("1");
    expect(run.textContent).toContain("send to 3 meters, skip 2");

    // The meter's button opens its whole plan.
    await fireEvent.click(within(document.querySelector<HTMLElement>(`[data-preview-meter="${main}"]`)!).getByRole("button"));
    expect(byId("fleet-preview-detail").textContent).toContain("SetLCD");
  });

  it("runs the previewed job, streaming each meter's state and the progress bar, then reports", async () => {
    const backend = await openFleet();
    await previewAll();
    const run = await startRun(backend);
    expect(run.jobId).toBe(JOB);
    expect(jobRow(main).dataset.state).toBe("pending");

    const states: FleetMeterState[] = fiveDemoMeters.map(() => ({ state: "pending" }));
    const step = (index: number, state: FleetMeterState) => {
      states[index] = state;
      run.emit(meterEvent(fiveDemoMeters[index].address, state), progressOf(states));
    };
    step(0, { state: "running", done: 0, of: 1 });
    await waitFor(() => expect(jobRow(main).dataset.state).toBe("running"));
    expect(byId("fleet-progress-text").textContent).toContain("0 of 5 finished · 1 under way");

    step(0, { state: "confirmed" });
    step(2, { state: "skipped", reason: { why: "cannotTake", reason: "SetLCD needs a V4 or V5 meter" } });
    await waitFor(() => expect(jobRow(main).dataset.state).toBe("confirmed"));
    expect(jobRow(barn).dataset.state).toBe("skipped");
    expect(jobRow(barn).dataset.skip).toBe("cannotTake");
    const progress = byId<HTMLProgressElement>("fleet-progress");
    expect(progress.max).toBe(5);
    expect(progress.value).toBe(2);
    expect(byId("fleet-progress-text").textContent).toContain("2 of 5 finished");

    step(1, { state: "confirmed" });
    step(3, { state: "confirmed" });
    step(4, { state: "failed", error: "SetLCD: wrong meter password" });
    await waitFor(() => expect(progress.value).toBe(5));
    expect(byId("fleet-report")).toBeNull();

    run.finish(reportOf(fiveDemoMeters.map((m, i) => ({ at: ref(m.address), state: states[i] }))));
    await appear("fleet-report");
    expect(byId("fleet-report-confirmed").textContent).toBe("3");
    expect(byId("fleet-report-failed").textContent).toBe("1");
    expect(byId("fleet-report-unconfirmed").textContent).toBe("0");
    expect(byId("fleet-report-skipped").textContent).toContain("1");
    expect(byId("fleet-report-skipped").textContent).toContain("0 already complied, 1 cannot take it");
    expect(byId("fleet-cannot-take").textContent).toContain(barn);
    expect(byId("fleet-failed").textContent).toContain("wrong meter password");
    expect(byId("fleet-status").dataset.status).toBe("finished");

    await fireEvent.click(byId("fleet-export-csv"));
    const saved = await appear("fleet-export-status");
    expect(saved.textContent).toContain("/home/me/report.csv");
    expect(backend.callsOf("export_job_report")).toEqual([{ jobId: JOB, format: "csv" }]);
    await fireEvent.click(within(saved).getByRole("button", { name: "Show in folder" }));
    expect(backend.callsOf("show_in_folder")).toEqual([{ path: "/home/me/report.csv" }]);
  });

  it("shows queued against running work per gateway while the job runs, by the gateway's name", async () => {
    const backend = await openFleet();
    await previewAll();
    const run = await startRun(backend);
    run.emit({ event: "gateway", gatewayId: "demo", waiting: 2, underWay: 2, window: 2 });
    const line = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('#fleet-gateways [data-gateway="demo"]');
      if (!found) throw new Error("no line for the demo gateway");
      return found;
    });
    expect(line.textContent!.replace(/\s+/g, " ")).toBe("Demo gateway: 2 under way, 2 waiting for the gateway");
    run.emit({ event: "gateway", gatewayId: "demo", waiting: 0, underWay: 1, window: 3 });
    await waitFor(() => expect(line.textContent!.replace(/\s+/g, " ")).toBe("Demo gateway: 1 under way"));
    run.emit({ event: "gateway", gatewayId: "demo", waiting: 0, underWay: 0, window: 3 });
    await waitFor(() => expect(byId("fleet-gateways")).toBeNull());
    run.finish(reportOf([]));
  });

  it("pauses and resumes the running job; a stop ends the run and Resume runs the job again", async () => {
    const backend = await openFleet();
    await previewAll();
    const run = await startRun(backend);
    run.emit(meterEvent(main, { state: "running", done: 0, of: 1 }));

    await fireEvent.click(byId("fleet-pause"));
    expect(backend.callsOf("pause_job")).toEqual([{ jobId: JOB }]);
    expect(byId("fleet-status").dataset.status).toBe("pausing");
    run.emit(meterEvent(main, { state: "confirmed" }), { event: "paused" });
    await waitFor(() => expect(byId("fleet-status").dataset.status).toBe("paused"));

    await fireEvent.click(byId("fleet-resume"));
    expect(backend.callsOf("resume_job")).toEqual([{ jobId: JOB }]);
    await waitFor(() => expect(byId("fleet-status").dataset.status).toBe("running"));
    expect(backend.runs).toHaveLength(1);

    await fireEvent.click(byId("fleet-stop"));
    expect(backend.callsOf("stop_job")).toEqual([{ jobId: JOB }]);
    run.finish(
      reportOf([
        { at: ref(main), state: { state: "confirmed" } },
        ...[hvac, barn, ev, guest].map((m) => ({ at: ref(m), state: { state: "stopped" } as FleetMeterState })),
      ]),
    );
    await waitFor(() => expect(byId("fleet-status").dataset.status).toBe("stopped"));
    expect(jobRow(hvac).dataset.state).toBe("stopped");
    expect(byId("fleet-report-stopped").textContent).toBe("4");

    await fireEvent.click(byId("fleet-resume"));
    expect(backend.callsOf("resume_job")).toHaveLength(2);
    await waitFor(() => expect(backend.runs).toHaveLength(2));
    expect(backend.runs[1].jobId).toBe(JOB);
    expect(byId("fleet-status").dataset.status).toBe("running");
  });

  it("lists unconfirmed meters and runs one again only after the user's Try again and confirmation", async () => {
    const backend = await openFleet();
    await previewAll();
    const run = await startRun(backend);
    run.finish(
      reportOf([
        { at: ref(main), state: { state: "confirmed" } },
        { at: ref(hvac), state: { state: "unconfirmed", command: "SetLCD", msgId: "8fce23ce5d0b11ebb86e4c1d96d9f4c7" } },
        { at: ref(barn), state: { state: "skipped", reason: { why: "cannotTake", reason: "SetLCD needs a V4 or V5 meter" } } },
        { at: ref(ev), state: { state: "confirmed" } },
        { at: ref(guest), state: { state: "confirmed" } },
      ]),
    );
    const listed = await appear("fleet-unconfirmed");
    const item = listed.querySelector<HTMLElement>(`[data-unconfirmed-meter="${hvac}"]`)!;
    expect(item.textContent).toContain("SetLCD got no answer; msg id 8fce23ce5d0b11ebb86e4c1d96d9f4c7");
    expect(listed.textContent).toContain(UNCONFIRMED_MEANING);
    expect(jobRow(hvac).dataset.state).toBe("unconfirmed");
    expect(backend.callsOf("retry_job")).toEqual([]);
    expect(backend.runs).toHaveLength(1);

    await fireEvent.click(within(item).getByRole("button", { name: /Try .* again…/ }));
    const confirm = screen.getByRole("alertdialog");
    expect(confirm.textContent).toContain("Send the template “Office display” again to Rooftop HVAC (000300004127)?");
    expect(confirm.textContent).toContain("may still run late");
    await fireEvent.click(byId("fleet-retry-cancel"));
    expect(backend.callsOf("retry_job")).toEqual([]);
    expect(backend.runs).toHaveLength(1);

    await fireEvent.click(within(item).getByRole("button", { name: /Try .* again…/ }));
    await fireEvent.click(byId("fleet-retry-confirm"));
    await waitFor(() => expect(backend.runs).toHaveLength(2));
    expect(backend.callsOf("retry_job")).toEqual([{ jobId: JOB, meters: [ref(hvac)] }]);
    expect(jobRow(hvac).dataset.state).toBe("pending");
  });
});
