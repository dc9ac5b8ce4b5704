import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { InvokeArgs } from "@tauri-apps/api/core";
import SettingsEditor from "./SettingsEditor.svelte";
import { IPC_ERRORS, fakeBackend, fakeSend, knownState, limits, rustError, v3Meter, v4Meter } from "../../test/fakeBackend";
import { appear, byId } from "../../test/queries";
import { drafts } from "../drafts.svelte";
import type { KnownState, MeterClock, Outcome, Plan } from "../ipc";

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

const onePlan: Plan = {
  commands: [{ command: "SetCTRatio", params: { ct_ratio: "200" }, summary: "CT ratio 200 A" }],
  unchanged: [],
};

function clockAt(seconds: number): MeterClock {
  const ss = String(seconds).padStart(2, "0");
  return {
    params: { year: "2025", month: "03", day: "14", hour: "09", minutes: "26", seconds: ss },
    display: `2025-03-14 09:26:${ss}`,
  };
}

/** A Rust stand-in that records what reaches it; `handlers` override single commands. */
function backend(
  options: { outcome?: Outcome; known?: KnownState; handlers?: Record<string, (args: InvokeArgs | undefined) => unknown> } = {},
) {
  const { send, sent } = fakeSend(options.outcome ?? { status: "confirmed", data: null, timestamp: 1 });
  const planned: InvokeArgs[] = [];
  const checked: Record<string, unknown>[] = [];
  const own = Object.fromEntries(
    Object.entries(options.handlers ?? {}).map(([name, h]) => [name, (_: string, args?: InvokeArgs) => h(args)]),
  );
  mockIPC(
    fakeBackend({
      send,
      handlers: {
        known_state: () => options.known ?? knownState(),
        plan_program: (_cmd, args) => {
          planned.push(args as InvokeArgs);
          return onePlan;
        },
        check_command: (_cmd, args) => {
          const request = (args as { request: Record<string, unknown> }).request;
          checked.push(request);
          return request.params;
        },
        time_zones: () => ["Europe/Berlin", "UTC"],
        meter_clock_now: () => clockAt(0),
        ...own,
      },
    }),
  );
  return { sent, planned, checked };
}

const text = (el: HTMLElement) => el.textContent?.replace(/\s+/g, " ").trim() ?? "";
const optionValues = (select: HTMLSelectElement) =>
  [...select.options].filter((o) => o.textContent !== "Leave as is").map((o) => Number(o.value));

async function choose(id: string, value: string) {
  const select = byId<HTMLSelectElement>(id);
  select.value = value;
  await fireEvent.change(select);
}

async function renderSettings(meter = v4Meter) {
  render(SettingsEditor, { meter, limits });
  // The form opens once the known state has arrived.
  await waitFor(() => expect(byId("settings-ct").matches(":disabled")).toBe(false));
}

describe("SettingsEditor: the unsent form", () => {
  it("after a send, keeps only what the meter did not confirm as unsent", async () => {
    const target = { gatewayId: v4Meter.gatewayId, meter: v4Meter.address };
    let known = knownState();
    const twoPlan: Plan = {
      commands: [
        { command: "SetCTRatio", params: { ct_ratio: "400" }, summary: "CT ratio 400 A" },
        { command: "SetMaxDemandPeriod", params: { max_demand_period: "2" }, summary: "Max demand period 30 min" },
      ],
      unchanged: [],
    };
    let demandAnswer: Outcome = { status: "failed", error: "meter did not answer", timestamp: 1 };
    const { send } = fakeSend((request): Outcome => {
      if (request.command === "SetCTRatio") {
        known = { ...known, ct_ratio: { value: 400, at: "2026-12-06T09:00:00Z", source: "confirmed_write" } };
        return { status: "confirmed", data: null, timestamp: 1 };
      }
      if (demandAnswer.status === "confirmed") {
        known = { ...known, max_demand_period: { value: 2, at: "2026-12-06T09:01:00Z", source: "confirmed_write" } };
      }
      return demandAnswer;
    });
    mockIPC(
      fakeBackend({
        send,
        handlers: {
          known_state: () => known,
          plan_program: () => twoPlan,
          time_zones: () => ["UTC"],
          meter_clock_now: () => clockAt(0),
        },
      }),
    );
    await renderSettings();
    await choose("settings-ct", "400");
    await choose("settings-demand-period", "2");
    expect(drafts.get(target, "settings")).toMatchObject({ ct: 400, demandPeriod: 2 });

    const sendAndClose = async () => {
      await fireEvent.click(byId("settings-review"));
      await fireEvent.click(await appear("plan-send"));
      await fireEvent.click(await screen.findByRole("button", { name: "Close" }));
    };
    await sendAndClose();
    // The CT ratio is now known to be 400; the demand period failed and is still to send.
    await waitFor(() => expect(byId("settings-ct-hint").textContent).toContain("Known: 400 A"));
    expect(byId("settings-unsent")).toBeTruthy();
    expect(drafts.get(target, "settings")).toMatchObject({ ct: 400, demandPeriod: 2 });

    demandAnswer = { status: "confirmed", data: null, timestamp: 2 };
    await sendAndClose();
    await waitFor(() => expect(byId("settings-unsent")).toBeNull());
    expect(drafts.has(target, "settings")).toBe(false);
  });
});

describe("SettingsEditor: meter settings", () => {
  it("offers only the pulse output ratios valid for the CT ratio chosen", async () => {
    backend();
    await renderSettings();
    await choose("settings-ct", "5000");
    const out = byId<HTMLSelectElement>("settings-pulse-out");
    expect(out.disabled).toBe(false);
    expect(optionValues(out)).toEqual(limits.pulse_output_ratios_by_ct["5000"]);
  });

  it("disables the pulse output ratio, saying why, while the CT ratio is unknown", async () => {
    backend();
    await renderSettings();
    const out = byId<HTMLSelectElement>("settings-pulse-out");
    expect(out.disabled).toBe(true);
    expect(byId("settings-pulse-out-hint").textContent).toContain(
      "Choose or confirm the CT ratio first: valid output ratios depend on it",
    );
  });

  it("offers the known CT ratio's output ratios when the CT ratio is left as is", async () => {
    backend({ known: knownState({ ct_ratio: { value: 4000, at: "2025-03-01T10:00:00Z", source: "confirmed_write" } }) });
    await renderSettings();
    await choose("settings-ct", "");
    expect(byId<HTMLSelectElement>("settings-ct").value).toBe("");
    expect(optionValues(byId("settings-pulse-out"))).toEqual(limits.pulse_output_ratios_by_ct["4000"]);
  });

  it("clears a chosen output ratio that a new CT ratio makes invalid, and says so", async () => {
    const { planned } = backend();
    await renderSettings();
    await choose("settings-ct", "100");
    await choose("settings-pulse-out", "1600");
    await choose("settings-ct", "5000");
    expect(byId<HTMLSelectElement>("settings-pulse-out").value).toBe("");
    expect(byId("settings-pulse-out-note").textContent).toContain(
      "Pulse output ratio 1600 is not valid with a CT ratio of 5000 A, so it was cleared",
    );
    await fireEvent.click(byId("settings-review"));
    expect(planned[0]).toMatchObject({ program: { settings: { ct_ratio: 5000, pulse_output_ratio: null } } });
  });

  it("plans the settings program with null for every field left as is", async () => {
    const { planned } = backend();
    await renderSettings();
    await choose("settings-ct", "200");
    await fireEvent.input(byId("settings-pulse-in-3"), { target: { value: "454" } });
    await fireEvent.click(byId("settings-review"));
    expect(planned).toEqual([
      {
        target: { gatewayId: "demo", meter: "000350000900" },
        program: {
          kind: "settings",
          settings: {
            ct_ratio: 200,
            max_demand_period: null,
            max_demand_reset_interval: null,
            pulse_input_ratios: [null, null, 454],
            pulse_output_ratio: null,
          },
        },
        force: false,
      },
    ]);
    expect(await screen.findByRole("dialog")).toBeTruthy();
    expect(byId("plan-commands").textContent).toContain("SetCTRatio");
  });

  it("starts each field from the known state, says when it was confirmed, and can force a resend", async () => {
    const { planned } = backend({
      known: knownState({
        ct_ratio: { value: 400, at: "2025-03-01T10:00:00Z", source: "confirmed_write" },
        max_demand_period: { value: 4, at: "2025-03-01T10:00:00Z", source: "confirmed_write" },
        pulse_input_ratios: [null, { value: 93, at: "2025-03-01T10:00:00Z", source: "confirmed_write" }, null],
        pulse_output_ratio: { value: 400, at: "2025-03-01T10:00:00Z", source: "confirmed_write" },
      }),
    });
    await renderSettings();
    await waitFor(() => expect(byId<HTMLSelectElement>("settings-ct").value).toBe("400"));
    expect(byId("settings-ct-hint").textContent).toContain("Known: 400 A, last confirmed");
    expect(byId("settings-demand-period-hint").textContent).toContain("60 min");
    expect(byId("settings-reset-interval-hint").textContent).toContain("Not known");
    await fireEvent.click(byId("settings-force"));
    await fireEvent.click(byId("settings-review"));
    expect(planned[0]).toEqual({
      target: { gatewayId: "demo", meter: "000350000900" },
      program: {
        kind: "settings",
        settings: {
          ct_ratio: 400,
          max_demand_period: 4,
          max_demand_reset_interval: null,
          pulse_input_ratios: [null, 93, null],
          pulse_output_ratio: 400,
        },
      },
      force: true,
    });
  });

  it("shows Rust's message next to pulse input 2 and opens no plan", async () => {
    const { message } = IPC_ERRORS.settings_pulse_input_0;
    backend({
      handlers: {
        plan_program: () => rustError("settings_pulse_input_0"),
      },
    });
    await renderSettings();
    await fireEvent.input(byId("settings-pulse-in-2"), { target: { value: "0" } });
    await fireEvent.click(byId("settings-review"));
    const error = await appear("settings-pulse-in-2-error");
    expect(error.textContent).toBe(message);
    const input = byId("settings-pulse-in-2");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain("settings-pulse-in-2-error");
    expect(byId("settings-pulse-in-1").getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("on a V3 meter disables the V4-only settings, says why, and never plans them", async () => {
    const { planned } = backend();
    await renderSettings(v3Meter);
    for (const id of ["settings-reset-interval", "settings-pulse-in-1", "settings-pulse-in-2", "settings-pulse-in-3", "settings-pulse-out"]) {
      expect(byId(id).matches(":disabled"), id).toBe(true);
    }
    expect(byId("settings-ct").matches(":disabled")).toBe(false);
    expect(byId("settings-v3-note").textContent).toContain("V3 Omnimeters have no max demand reset interval");
    expect(byId("zero-kwh")).toBeNull();
    expect(byId("zero-kwh-v3").textContent).toContain("no resettable kWh registers");
    await choose("settings-ct", "200");
    await fireEvent.click(byId("settings-review"));
    expect(planned[0]).toMatchObject({
      program: {
        settings: { max_demand_reset_interval: null, pulse_input_ratios: [null, null, null], pulse_output_ratio: null },
      },
    });
  });
});

describe("SettingsEditor: password", () => {
  async function typePasswords(first: string, again: string) {
    await fireEvent.input(screen.getByLabelText(/^New password \(8 digits\)/), { target: { value: first } });
    await fireEvent.input(screen.getByLabelText("New password again"), { target: { value: again } });
  }

  it("blocks two different passwords before anything reaches Rust", async () => {
    const { checked, sent } = backend();
    await renderSettings();
    await typePasswords("12345678", "12345679");
    await fireEvent.click(byId("password-send"));
    expect(byId("password-error").textContent).toBe("The two passwords differ.");
    expect(byId("password-again").getAttribute("aria-invalid")).toBe("true");
    expect(byId("password-confirm")).toBeNull();
    expect(checked).toHaveLength(0);
    expect(sent).toHaveLength(0);
  });

  it("shows Rust's message for a bad password and offers no send", async () => {
    // Rust's message never repeats the typed password: it says "a hidden value of 4 characters".
    const { message } = IPC_ERRORS.new_password_1234;
    expect(message).not.toContain("1234");
    backend({
      handlers: {
        check_command: () => rustError("new_password_1234"),
      },
    });
    await renderSettings();
    await typePasswords("1234", "1234");
    await fireEvent.click(byId("password-send"));
    await waitFor(() => expect(byId("password-error").textContent).toBe(message));
    expect(byId("password-new").getAttribute("aria-invalid")).toBe("true");
    expect(byId("password-confirm")).toBeNull();
  });

  it("sends SetMeterPassword once after the confirm step, clears the boxes and says the app switched", async () => {
    const { checked, sent } = backend();
    await renderSettings();
    expect(byId("password-warning").textContent).toContain("cannot be recovered");
    await typePasswords("12345678", "12345678");
    await fireEvent.click(byId("password-send"));
    const confirm = await appear("password-confirm");
    expect(checked).toEqual([
      { gatewayId: "demo", meter: "000350000900", command: "SetMeterPassword", params: { new_password: "12345678" } },
    ]);
    expect(sent).toHaveLength(0);
    await fireEvent.click(confirm);
    expect(byId<HTMLInputElement>("password-new").value).toBe("");
    expect(byId<HTMLInputElement>("password-again").value).toBe("");
    await waitFor(() => expect(byId("password-state").dataset.state).toBe("confirmed"));
    expect(sent).toEqual([
      { gatewayId: "demo", meter: "000350000900", command: "SetMeterPassword", params: { new_password: "12345678" } },
    ]);
    expect(byId("password-outcome").textContent).toContain("The app now uses the new password for this meter");
    expect(document.body.textContent).not.toContain("12345678");
  });

  it("explains an unconfirmed change: either password may now be the meter's", async () => {
    const { sent } = backend({ outcome: { status: "unconfirmed" } });
    await renderSettings();
    await typePasswords("12345678", "12345678");
    await fireEvent.click(byId("password-send"));
    await fireEvent.click(await appear("password-confirm"));
    await waitFor(() => expect(byId("password-state").dataset.state).toBe("unconfirmed"));
    expect(byId("password-state").textContent).toContain("will not send it again");
    expect(byId("password-outcome").textContent).toContain("either the old or the new one");
    expect(sent).toHaveLength(1);
  });
});

describe("SettingsEditor: destructive actions", () => {
  it("zeroes the resettable kWh only after the address is typed, and sends it exactly once", async () => {
    const { sent } = backend();
    await renderSettings();
    await fireEvent.click(byId("zero-kwh"));
    expect(sent).toHaveLength(0);
    const confirm = byId<HTMLButtonElement>("zero-kwh-confirm");
    expect(confirm.disabled).toBe(true);
    await fireEvent.click(confirm);
    expect(sent).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText(/Type the meter address/), { target: { value: "000350000900" } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await waitFor(() => expect(byId("zero-kwh-state").dataset.state).toBe("confirmed"));
    expect(sent).toEqual([{ gatewayId: "demo", meter: "000350000900", command: "SetZeroResettableKWH", params: {} }]);
    expect(byId("zero-kwh-confirm")).toBeNull();
  });

  it("moves focus to Cancel when a confirm step opens, and back to its button on Cancel", async () => {
    const { sent } = backend();
    await renderSettings();
    const opener = byId("demand-reset-now");
    opener.focus();
    await fireEvent.click(opener);
    expect(opener.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.click(document.activeElement as HTMLElement);
    expect(byId("demand-reset-confirm")).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(sent).toHaveLength(0);
  });

  it("resets max demand only after the confirm step, once, and shows an unconfirmed reset as such", async () => {
    const { sent } = backend({ outcome: { status: "unconfirmed" } });
    await renderSettings();
    await fireEvent.click(byId("demand-reset-now"));
    expect(sent).toHaveLength(0);
    expect(text(screen.getByRole("alertdialog"))).toContain("set to zero at once");
    await fireEvent.click(byId("demand-reset-confirm"));
    await waitFor(() => expect(byId("demand-reset-state").dataset.state).toBe("unconfirmed"));
    expect(sent).toEqual([{ gatewayId: "demo", meter: "000350000900", command: "SetMaxDemandResetNow", params: {} }]);
  });
});

describe("SettingsEditor: clock", () => {
  it("starts from this computer's time zone when Rust lists it, else UTC", async () => {
    const resolved = Intl.DateTimeFormat.prototype.resolvedOptions;
    const localZone = (timeZone: string) =>
      vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockImplementation(function (this: Intl.DateTimeFormat) {
        return { ...resolved.call(this), timeZone };
      });
    localZone("Europe/Berlin");
    backend();
    const first = render(SettingsEditor, { meter: v4Meter, limits });
    await waitFor(() => expect(byId<HTMLSelectElement>("clock-tz").value).toBe("Europe/Berlin"));
    first.unmount();

    localZone("Mars/Olympus_Mons");
    render(SettingsEditor, { meter: v4Meter, limits });
    await waitFor(() => expect(byId<HTMLSelectElement>("clock-tz").value).toBe("UTC"));
  });

  it("sends SetTime with the params meter_clock_now gives at the moment of the click", async () => {
    let calls = 0;
    const zonesAsked: unknown[] = [];
    const { sent } = backend({
      handlers: {
        meter_clock_now: (args) => {
          zonesAsked.push((args as { timeZone: string }).timeZone);
          return clockAt(++calls);
        },
      },
    });
    await renderSettings();
    const tz = byId<HTMLSelectElement>("clock-tz");
    await waitFor(() => expect(tz.disabled).toBe(false));
    await fireEvent.input(byId("clock-tz-filter"), { target: { value: "berl" } });
    expect([...tz.options].map((o) => o.value)).toContain("Europe/Berlin");
    await choose("clock-tz", "Europe/Berlin");
    await waitFor(() => expect(byId("clock-preview").textContent).toContain("Now in Europe/Berlin: 2025-03-14 09:26:"));
    await fireEvent.click(byId("clock-send"));
    expect(sent).toHaveLength(0);
    const before = calls;
    await fireEvent.click(byId("clock-confirm"));
    await waitFor(() => expect(byId("clock-state").dataset.state).toBe("confirmed"));
    expect(calls).toBeGreaterThan(before);
    expect(zonesAsked.at(-1)).toBe("Europe/Berlin");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({ gatewayId: "demo", meter: "000350000900", command: "SetTime", params: clockAt(before + 1).params });
  });

  it("shows Rust's message for an impossible day next to the date and sends nothing", async () => {
    const { message } = IPC_ERRORS.set_time_february_30;
    const asked: unknown[] = [];
    const { sent } = backend({
      handlers: {
        check_command: (args) => {
          asked.push((args as { request: unknown }).request);
          rustError("set_time_february_30");
        },
      },
    });
    await renderSettings();
    await fireEvent.click(byId("clock-mode-given"));
    await fireEvent.input(byId("clock-date"), { target: { value: "2025-2-30" } });
    await fireEvent.input(byId("clock-time"), { target: { value: "7:05" } });
    await fireEvent.click(byId("clock-send"));
    await waitFor(() => expect(byId("clock-date-error").textContent).toBe(message));
    expect(byId("clock-date").getAttribute("aria-invalid")).toBe("true");
    expect(asked).toEqual([
      {
        gatewayId: "demo",
        meter: "000350000900",
        command: "SetTime",
        params: { year: "2025", month: "02", day: "30", hour: "07", minutes: "05", seconds: "00" },
      },
    ]);
    expect(byId("clock-confirm")).toBeNull();
    expect(sent).toHaveLength(0);
  });

  it("sends a given time Rust accepted, after the confirm step", async () => {
    const { sent } = backend();
    await renderSettings();
    await fireEvent.click(byId("clock-mode-given"));
    await fireEvent.input(byId("clock-date"), { target: { value: "2025-12-31" } });
    await fireEvent.input(byId("clock-time"), { target: { value: "23:59:58" } });
    await fireEvent.click(byId("clock-send"));
    await fireEvent.click(await appear("clock-confirm"));
    await waitFor(() => expect(byId("clock-state").dataset.state).toBe("confirmed"));
    expect(sent[0]).toMatchObject({
      command: "SetTime",
      params: { year: "2025", month: "12", day: "31", hour: "23", minutes: "59", seconds: "58" },
    });
  });
});
