import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import RelayPanel from "./RelayPanel.svelte";
import { fakeSend, limits, v4Meter as meter } from "../test/fakeBackend";
import type { Outcome } from "./ipc";

afterEach(() => clearMocks());

/** Records every send_command and answers with `outcome` over the command's channel; nothing else is called. */
function backend(outcome: Outcome) {
  const { send, sent } = fakeSend(outcome);
  mockIPC((cmd, args) => {
    if (cmd !== "send_command") throw new Error(`unexpected ${cmd}`);
    return send(cmd, args);
  });
  return sent;
}

function relay1() {
  return screen.getByRole("heading", { name: "Relay 1" }).closest("section") as HTMLElement;
}

describe("RelayPanel", () => {
  it("asks for confirmation, then sends SetRelay once with the exact parameters", async () => {
    const sent = backend({ status: "confirmed", data: null, timestamp: 1611374002.6 });
    render(RelayPanel, { meter, limits });
    const panel = within(relay1());
    await fireEvent.click(panel.getByLabelText("For"));
    await fireEvent.input(panel.getByLabelText("Relay 1 duration in seconds"), { target: { value: "5" } });
    await fireEvent.click(panel.getByRole("button", { name: "Close Relay 1…" }));
    expect(sent).toHaveLength(0);
    expect(panel.getByRole("alertdialog").textContent).toContain(
      "Close Relay 1 on meter 000350000900 for 5 s, then it reverts",
    );
    await fireEvent.click(panel.getByRole("button", { name: "Send" }));
    expect(sent).toEqual([
      { gatewayId: "demo", meter: "000350000900", command: "SetRelay", params: { relay: "Relay_1", status: "close", duration: 5 } },
    ]);
    expect((await panel.findByRole("status")).textContent).toContain("Confirmed");
  });

  it("shows an unconfirmed command as such, with what it means, and never resends it", async () => {
    const sent = backend({ status: "unconfirmed" });
    render(RelayPanel, { meter, limits });
    const panel = within(relay1());
    await fireEvent.click(panel.getByRole("button", { name: "Close Relay 1…" }));
    await fireEvent.click(panel.getByRole("button", { name: "Send" }));
    const status = await panel.findByRole("status");
    expect(status.textContent).toContain("Unconfirmed");
    expect(status.textContent).toContain("will not send it again");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ params: { relay: "Relay_1", status: "close", duration: 0 } });
  });

  it("refuses a timed action of zero seconds and sends nothing", async () => {
    const sent = backend({ status: "confirmed", data: null, timestamp: 0 });
    render(RelayPanel, { meter, limits });
    const panel = within(relay1());
    await fireEvent.click(panel.getByLabelText("For"));
    await fireEvent.input(panel.getByLabelText("Relay 1 duration in seconds"), { target: { value: "0" } });
    await fireEvent.click(panel.getByRole("button", { name: "Close Relay 1…" }));
    await fireEvent.click(panel.getByRole("button", { name: "Send" }));
    expect(panel.getByRole("alert").textContent).toContain("duration: 0 is not allowed; 1 to 9999 seconds");
    expect(sent).toHaveLength(0);
  });

  it("shows the gateway's failure text verbatim", async () => {
    backend({ status: "failed", error: "meter 000350000900: wrong meter password", timestamp: 1 });
    render(RelayPanel, { meter, limits });
    const panel = within(relay1());
    await fireEvent.click(panel.getByRole("button", { name: "Close Relay 1…" }));
    await fireEvent.click(panel.getByRole("button", { name: "Send" }));
    const status = await panel.findByRole("status");
    expect(status.textContent).toContain("Failed");
    expect(status.textContent).toContain("wrong meter password");
  });
});
