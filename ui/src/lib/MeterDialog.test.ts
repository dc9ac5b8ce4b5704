import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import MeterDialog from "./MeterDialog.svelte";
import { demoGateway } from "../test/fakeBackend";
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
    render(MeterDialog, { gateways: [demoGateway, site], onclose: () => {}, onadded: () => {} });
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
      throw { code: "invalid_input", message: "target_id: \"12x\" is not allowed; 1 to 12 digits", field: "target_id" };
    });
    render(MeterDialog, { gateways: [site], onclose: () => {}, onadded: () => {} });
    await fireEvent.input(screen.getByLabelText(/Meter number/), { target: { value: "12x" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Save meter" }).closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toContain("is not allowed");
  });

  it("offers no gateway to add to when only the demo gateway exists", () => {
    render(MeterDialog, { gateways: [demoGateway], onclose: () => {}, onadded: () => {} });
    expect(screen.getByText(/Add a gateway first/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save meter" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
