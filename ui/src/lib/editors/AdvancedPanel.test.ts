import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import AdvancedPanel from "./AdvancedPanel.svelte";
import { locateJsonError } from "./advanced/jsonSyntax";
import { IPC_ERRORS, fakeBackend, fakeSend, limits, rustError, v4Meter as meter } from "../../test/fakeBackend";
import { byId } from "../../test/queries";
import type { Outcome } from "../ipc";

afterEach(() => clearMocks());

function backend(outcome: Outcome, check: (request: Record<string, unknown>) => unknown = (r) => r.params) {
  const { send, sent } = fakeSend(outcome);
  const checked: Record<string, unknown>[] = [];
  mockIPC(
    fakeBackend({
      send,
      handlers: {
        check_command: (_cmd, args) => {
          const request = (args as { request: Record<string, unknown> }).request;
          checked.push(request);
          return check(request);
        },
      },
    }),
  );
  return { sent, checked };
}

async function unlock(on = meter) {
  render(AdvancedPanel, { meter: on, limits });
  await fireEvent.click(byId("advanced-unlock"));
}

async function write(command: string, params: string) {
  const select = byId<HTMLSelectElement>("advanced-command");
  select.value = command;
  await fireEvent.change(select);
  await fireEvent.input(byId("advanced-params"), { target: { value: params } });
}

describe("AdvancedPanel", () => {
  it("stays behind the warning until the user says they understand", async () => {
    backend({ status: "confirmed", data: null, timestamp: 1 });
    render(AdvancedPanel, { meter, limits });
    expect(byId("advanced-warning").textContent).toContain("Rust still checks every parameter");
    expect(byId("advanced-params")).toBeNull();
    expect(byId("advanced-send")).toBeNull();
    await fireEvent.click(byId("advanced-unlock"));
    expect(byId<HTMLTextAreaElement>("advanced-params").value).toBe("{}");
    const names = [...byId<HTMLSelectElement>("advanced-command").options].map((o) => o.value);
    expect(names).toHaveLength(17);
    expect(names).toContain("SetSeasonSchedules");
  });

  it("shows a JSON error at once, with its line and column, and blocks check and send", async () => {
    const { sent, checked } = backend({ status: "confirmed", data: null, timestamp: 1 });
    await unlock();
    await write("SetCTRatio", '{\n  "ct_ratio": "200",\n}');
    const error = byId("advanced-json-error");
    expect(error.hidden).toBe(false);
    expect(error.textContent).toContain("Not valid JSON at line 3, column 1");
    expect(byId("advanced-params").getAttribute("aria-invalid")).toBe("true");
    expect(byId<HTMLButtonElement>("advanced-check").disabled).toBe(true);
    expect(byId<HTMLButtonElement>("advanced-send").disabled).toBe(true);
    await fireEvent.input(byId("advanced-params"), { target: { value: "[1]" } });
    expect(error.textContent).toContain("must be one JSON object");
    await fireEvent.input(byId("advanced-params"), { target: { value: '{"ct_ratio": "200"}' } });
    expect(error.hidden).toBe(true);
    expect(byId<HTMLButtonElement>("advanced-send").disabled).toBe(false);
    expect(sent).toHaveLength(0);
    expect(checked).toHaveLength(0);
  });

  it("Check shows the params as Rust normalized them, or Rust's error", async () => {
    const { message } = IPC_ERRORS.ct_ratio_250;
    const { checked, sent } = backend({ status: "confirmed", data: null, timestamp: 1 }, (request) => {
      const params = request.params as Record<string, unknown>;
      if (params.ct_ratio === "250") rustError("ct_ratio_250");
      return { ct_ratio: "200" };
    });
    await unlock();
    await write("SetCTRatio", '{"ct_ratio": "200"}');
    await fireEvent.click(byId("advanced-check"));
    await waitFor(() => expect(byId("advanced-checked")).not.toBeNull());
    expect(byId("advanced-checked").textContent).toContain('"ct_ratio": "200"');
    expect(checked).toEqual([{ gatewayId: "demo", meter: "000350000900", command: "SetCTRatio", params: { ct_ratio: "200" } }]);

    await fireEvent.input(byId("advanced-params"), { target: { value: '{"ct_ratio": "250"}' } });
    expect(byId("advanced-checked")).toBeNull();
    await fireEvent.click(byId("advanced-check"));
    await waitFor(() => expect(byId("advanced-error").textContent).toBe(message));
    expect(sent).toHaveLength(0);
  });

  it("sends once after the confirm step and shows the response data as a tree", async () => {
    const data = { Month_1_Tot: 5, Unknown: { deep: [true] } };
    const { sent } = backend({ status: "confirmed", data, timestamp: 1 });
    await unlock();
    await write("GetTariffData", "{}");
    await fireEvent.click(byId("advanced-send"));
    expect(sent).toHaveLength(0);
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.click(byId("advanced-confirm"));
    await waitFor(() => expect(byId("advanced-state").dataset.state).toBe("confirmed"));
    expect(sent).toEqual([{ gatewayId: "demo", meter: "000350000900", command: "GetTariffData", params: {} }]);
    const result = byId("advanced-result");
    expect(result.textContent).toContain("Month_1_Tot");
    expect(result.textContent).toContain("deep");
    expect(result.querySelectorAll("details").length).toBeGreaterThan(0);
  });

  it("shows an unconfirmed raw command as such and never resends it", async () => {
    const { sent } = backend({ status: "unconfirmed" });
    await unlock();
    await write("SetRelay", '{"relay": "Relay_1", "status": "close", "duration": 0}');
    await fireEvent.click(byId("advanced-send"));
    await fireEvent.click(byId("advanced-confirm"));
    await waitFor(() => expect(byId("advanced-state").dataset.state).toBe("unconfirmed"));
    expect(byId("advanced-state").textContent).toContain("will not send it again");
    expect(byId("advanced-result")).toBeNull();
    expect(sent).toEqual([
      { gatewayId: "demo", meter: "000350000900", command: "SetRelay", params: { relay: "Relay_1", status: "close", duration: 0 } },
    ]);
  });

  it("shows Rust's refusal at send time, asks once, and sends nothing else", async () => {
    // Rust's send_command validates the params before anything goes out (here without a Check
    // first); a CT ratio of 250 A does not exist, and this is its answer.
    const asked: unknown[] = [];
    mockIPC(
      fakeBackend({
        send: (_cmd, args) => {
          asked.push((args as { request: unknown }).request);
          rustError("ct_ratio_250");
        },
      }),
    );
    await unlock();
    await write("SetCTRatio", '{"ct_ratio": "250"}');
    await fireEvent.click(byId("advanced-send"));
    await fireEvent.click(byId("advanced-confirm"));
    await waitFor(() => expect(byId("advanced-state-error").textContent).toBe(IPC_ERRORS.ct_ratio_250.message));
    expect(asked).toEqual([{ gatewayId: "demo", meter: meter.address, command: "SetCTRatio", params: { ct_ratio: "250" } }]);
  });
});

describe("locateJsonError", () => {
  it("points at the first character that cannot continue valid JSON", () => {
    const cases: [string, number][] = [
      ['{"a": 1,}', 8],
      ['{"a" 1}', 5],
      ["", 0],
      ['{"a": tru}', 9],
      ["[1, 2", 5],
      ['{"a": 01}', 7],
      ['{"a": 1} x', 9],
      ["{'a': 1}", 1],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect([text, locateJsonError(text).offset]).toEqual([text, offset]);
    }
    expect(locateJsonError('{\n  "a": -}')).toEqual({ offset: 10, line: 2, column: 9 });
  });
});
