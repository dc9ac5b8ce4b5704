import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import LcdEditor from "../editors/LcdEditor.svelte";
import MeterSettingsForm from "../editors/settings/MeterSettingsForm.svelte";
import TouEditor from "../editors/TouEditor.svelte";
import { knownState, limits, v4Meter as meter } from "../../test/fakeBackend";
import { fleetBackend, lcdTemplate, rustError, type FleetHandlers } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";
import type { Program, TemplateInfo } from "../ipc";

afterEach(() => clearMocks());

const known = knownState({ lcd: { value: ["kWh_Tot", "RMS_Volts_Ln_1"], at: "2026-03-01T10:15:00Z", source: "confirmed_write" } });

function backend(handlers: FleetHandlers = {}) {
  return fleetBackend({
    templates: [lcdTemplate],
    handlers: {
      known_state: () => known,
      save_template: (args) => ({ name: args.name, kind: (args.program as Program).kind, program: args.program }) as TemplateInfo,
      ...handlers,
    },
  });
}

async function saveAs(prefix: string, name: string) {
  const input = document.querySelector<HTMLInputElement>(`#${prefix}-template-name[data-template-name-input]`)!;
  await fireEvent.input(input, { target: { value: name } });
  await fireEvent.click(byId(`${prefix}-save-template`));
}

describe("Save as template", () => {
  it("saves the display editor's list under the name typed", async () => {
    const { callsOf } = backend();
    render(LcdEditor, { meter, limits });
    await appear("lcd-review");
    await saveAs("lcd", "  Lobby  ");
    expect((await appear("lcd-template-saved")).textContent).toContain("Saved as the Display template “Lobby”");
    expect(callsOf("save_template")).toEqual([{ name: "Lobby", program: { kind: "lcd", display_fields: ["kWh_Tot", "RMS_Volts_Ln_1"] } }]);
  });

  it("shows Rust's refusal next to the name and saves nothing", async () => {
    backend({
      save_template: () =>
        rustError("template_name_81"),
    });
    render(LcdEditor, { meter, limits });
    await appear("lcd-review");
    await saveAs("lcd", "x".repeat(81));
    const error = await appear("lcd-template-error");
    expect(error.textContent).toContain("a name of 1-80 characters");
    expect(byId("lcd-template-name").getAttribute("aria-invalid")).toBe("true");
    expect(byId("lcd-template-name").getAttribute("aria-describedby")).toBe("lcd-template-error");
    expect(byId("lcd-template-saved")).toBeNull();
  });

  it("asks before replacing a template of the same name", async () => {
    const { callsOf } = backend();
    render(LcdEditor, { meter, limits });
    await appear("lcd-review");
    await saveAs("lcd", "Office display");
    expect((await screen.findByRole("alertdialog")).textContent).toContain("A Display template named “Office display” exists. Replace it?");
    expect(callsOf("save_template")).toEqual([]);
    await fireEvent.click(byId("lcd-template-replace"));
    await waitFor(() => expect(callsOf("save_template")).toHaveLength(1));
  });

  it("saves the time-of-use editor's whole program", async () => {
    const { callsOf } = backend();
    render(TouEditor, { meter, limits });
    await saveAs("tou", "Summer");
    await appear("tou-template-saved");
    const [{ program }] = callsOf("save_template") as { program: Program }[];
    expect(program.kind).toBe("tou");
    if (program.kind !== "tou") return;
    expect(program.tou.schedules).toHaveLength(limits.schedules);
    expect(program.tou.holidays).toHaveLength(limits.holidays);
  });

  it("saves the settings form's program, leaving unset settings null", async () => {
    const { callsOf } = backend();
    render(MeterSettingsForm, { meter, limits });
    await waitFor(() => expect(byId<HTMLFieldSetElement>("settings-ct").closest("fieldset")!.disabled).toBe(false));
    await fireEvent.change(byId("settings-ct"), { target: { value: "200" } });
    await saveAs("settings", "CT 200");
    await appear("settings-template-saved");
    expect(callsOf("save_template")).toEqual([
      {
        name: "CT 200",
        program: {
          kind: "settings",
          settings: { ct_ratio: 200, max_demand_period: null, max_demand_reset_interval: null, pulse_input_ratios: [null, null, null], pulse_output_ratio: null },
        },
      },
    ]);
  });
});
