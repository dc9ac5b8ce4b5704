import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import MeterDialog from "./MeterDialog.svelte";
import { demoGateway, pumpHouse, rustError, siteA } from "../test/fakeBackend";
import type { Gateway } from "./ipc";

afterEach(() => clearMocks());

const site: Gateway = { ...demoGateway, id: "g-1", name: "Site A", demo: false };

describe("MeterDialog", () => {
  it("sends the form to add_meter with tags split and the password only when given", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { address: "000350000900", nickname: "Pump", version: "V3", gatewayId: "g-1", tags: ["north", "pumps"], hasPassword: false };
    });
    render(MeterDialog, { gateways: [demoGateway, site], onclose: () => {}, onsaved: () => {} });
    await fireEvent.input(screen.getByLabelText(/Meter number/), { target: { value: "350000900" } });
    await fireEvent.change(screen.getByLabelText(/^Version/), { target: { value: "V3" } });
    await fireEvent.input(screen.getByLabelText("Nickname"), { target: { value: "Pump" } });
    await fireEvent.input(screen.getByLabelText(/Tags/), { target: { value: "north, pumps," } });
    await fireEvent.submit(screen.getByRole("button", { name: "Save meter" }).closest("form")!);
    expect(calls).toEqual([
      ["add_meter", { form: { gatewayId: "g-1", address: "350000900", version: "V3", nickname: "Pump", tags: ["north", "pumps"], password: undefined } }],
    ]);
  });

  it("shows the Rust error next to the form and keeps the dialog open", async () => {
    mockIPC(() => {
      rustError("meter_address_12x");
    });
    render(MeterDialog, { gateways: [site], onclose: () => {}, onsaved: () => {} });
    await fireEvent.input(screen.getByLabelText(/Meter number/), { target: { value: "12x" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Save meter" }).closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toContain("is not allowed");
  });

  it("offers no gateway to add to when only the demo gateway exists", () => {
    render(MeterDialog, { gateways: [demoGateway], onclose: () => {}, onsaved: () => {} });
    expect(screen.getByText(/Add a gateway first/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save meter" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("MeterDialog, editing", () => {
  function recordCalls() {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === "edit_meter" ? pumpHouse : null;
    });
    return calls;
  }

  function editPumpHouse() {
    const events: string[] = [];
    render(MeterDialog, {
      gateways: [demoGateway, siteA],
      meter: pumpHouse,
      onclose: () => events.push("closed"),
      onsaved: () => events.push("saved"),
      onremoved: () => events.push("removed"),
    });
    return events;
  }

  const submit = () => fireEvent.submit(screen.getByRole("button", { name: "Save meter" }).closest("form")!);

  it("starts from the meter, keeps its number fixed and shows no password", () => {
    editPumpHouse();
    expect(screen.getByRole("heading").textContent).toBe("Edit meter 000111222333");
    expect(screen.queryByLabelText(/Meter number/)).toBeNull();
    expect(screen.getByText(/On Site A\./)).toBeTruthy();
    expect((screen.getByLabelText("Nickname") as HTMLInputElement).value).toBe("Pump house");
    expect((screen.getByLabelText(/Tags/) as HTMLInputElement).value).toBe("north, pumps");
    expect((screen.getByLabelText(/^Replace meter password/) as HTMLInputElement).value).toBe("");
  });

  it("sends only the changed nickname, version and tags; a blank password box sends no password", async () => {
    const calls = recordCalls();
    const events = editPumpHouse();
    await fireEvent.input(screen.getByLabelText("Nickname"), { target: { value: "Pumps" } });
    await fireEvent.change(screen.getByLabelText(/^Version/), { target: { value: "V5" } });
    await fireEvent.input(screen.getByLabelText(/Tags/), { target: { value: "north, pumps, roof" } });
    await submit();
    expect(calls).toEqual([
      ["edit_meter", { address: "000111222333", form: { nickname: "Pumps", version: "V5", tags: ["north", "pumps", "roof"] } }],
    ]);
    expect(events).toEqual(["saved"]);
  });

  it("a new password is sent as a replacement", async () => {
    const calls = recordCalls();
    editPumpHouse();
    await fireEvent.input(screen.getByLabelText(/^Replace meter password/), { target: { value: "13572468" } });
    await submit();
    expect(calls).toEqual([["edit_meter", { address: "000111222333", form: { password: "13572468" } }]]);
  });

  it("going back to the factory default sends clearPassword", async () => {
    const calls = recordCalls();
    editPumpHouse();
    await fireEvent.click(screen.getByLabelText("Use the factory default password again"));
    await submit();
    expect(calls).toEqual([["edit_meter", { address: "000111222333", form: { clearPassword: true } }]]);
  });

  it("removing asks first, says the password leaves the keychain, then calls remove_meter", async () => {
    const calls = recordCalls();
    const events = editPumpHouse();
    await fireEvent.click(screen.getByRole("button", { name: "Remove meter…" }));
    expect(calls).toEqual([]);
    expect(screen.getByRole("alertdialog").textContent).toContain(
      "Remove Pump house from Push3 Desk? Its password is deleted from your system keychain.",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Remove meter" }));
    expect(calls).toEqual([["remove_meter", { address: "000111222333" }]]);
    expect(events).toEqual(["removed"]);
  });

  it("explains a missing keychain in plain words", async () => {
    mockIPC(() => {
      rustError("keychain_unavailable");
    });
    editPumpHouse();
    await fireEvent.input(screen.getByLabelText(/^Replace meter password/), { target: { value: "13572468" } });
    await submit();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No keychain is available");
    expect(alert.textContent).toContain("No keychain answered");
  });
});
