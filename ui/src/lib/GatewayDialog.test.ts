import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import GatewayDialog from "./GatewayDialog.svelte";
import { rustError, siteA } from "../test/fakeBackend";

afterEach(() => clearMocks());

/** Records every IPC call and answers as Rust would for the command. */
function recordCalls(answer: (cmd: string) => unknown = () => siteA) {
  const calls: unknown[] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return answer(cmd);
  });
  return calls;
}

function submit() {
  return fireEvent.submit(screen.getByRole("button", { name: "Save gateway" }).closest("form")!);
}

function editSiteA(extra: Record<string, unknown> = {}) {
  const events: string[] = [];
  render(GatewayDialog, {
    gateway: siteA,
    meterCount: 2,
    onclose: () => events.push("closed"),
    onsaved: () => events.push("saved"),
    onremoved: () => events.push("removed"),
    ...extra,
  });
  return events;
}

describe("GatewayDialog, editing", () => {
  it("starts from the gateway, shows the masked key hint and never a key", () => {
    editSiteA();
    expect(screen.getByRole("heading").textContent).toBe("Edit gateway Site A");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Site A");
    expect((screen.getByLabelText("Note") as HTMLInputElement).value).toBe("Boiler room");
    expect((screen.getByLabelText(/^Replace key/) as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("Replace API token") as HTMLInputElement).value).toBe("");
    expect(screen.getByText(/Stored key ends ••••1234/)).toBeTruthy();
  });

  it("sends the new name and the replacement key, and nothing that did not change", async () => {
    const calls = recordCalls();
    const events = editSiteA();
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Site B" } });
    await fireEvent.input(screen.getByLabelText(/^Replace key/), { target: { value: "new-key-5678" } });
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { name: "Site B", key: "new-key-5678" } }]]);
    expect(events).toEqual(["saved"]);
  });

  it("a blank key field sends no key, so the stored key stays", async () => {
    const calls = recordCalls();
    editSiteA();
    await fireEvent.input(screen.getByLabelText("Note"), { target: { value: "Roof" } });
    await fireEvent.input(screen.getByLabelText(/^Replace key/), { target: { value: "   " } });
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { note: "Roof" } }]]);
  });

  it("Remove the API token sends clearToken and not the token box", async () => {
    const calls = recordCalls();
    editSiteA();
    await fireEvent.input(screen.getByLabelText("Replace API token"), { target: { value: "half-typed" } });
    await fireEvent.click(screen.getByLabelText("Remove the API token"));
    expect((screen.getByLabelText("Replace API token") as HTMLInputElement).disabled).toBe(true);
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { clearToken: true } }]]);
  });

  it("a gateway without a token offers to add one and no Remove token", async () => {
    const calls = recordCalls();
    editSiteA({ gateway: { ...siteA, hasToken: false } });
    expect(screen.queryByLabelText("Remove the API token")).toBeNull();
    await fireEvent.input(screen.getByLabelText("API token (optional)"), { target: { value: "tok-abcdefgh" } });
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { token: "tok-abcdefgh" } }]]);
  });

  it("explains a locked keychain in plain words and keeps what was typed", async () => {
    recordCalls(() => {
      rustError("keychain_locked");
    });
    const events = editSiteA();
    await fireEvent.input(screen.getByLabelText(/^Replace key/), { target: { value: "new-key-5678" } });
    await submit();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The keychain is locked");
    expect(alert.textContent).toContain("only in your system keychain, never in a file");
    expect((screen.getByLabelText(/^Replace key/) as HTMLInputElement).value).toBe("new-key-5678");
    expect(events).toEqual([]);
  });

  it("removing asks first, says the meters and keychain entries go too, then calls remove_gateway", async () => {
    const calls = recordCalls(() => null);
    const events = editSiteA();
    await fireEvent.click(screen.getByRole("button", { name: "Remove gateway…" }));
    expect(calls).toEqual([]);
    expect(screen.getByRole("heading").textContent).toBe("Remove gateway Site A");
    const step = screen.getByRole("alertdialog");
    expect(step.textContent).toContain("Remove Site A from Push3 Desk?");
    expect(step.textContent).toContain("Its 2 meters go with it.");
    expect(step.textContent).toContain("deleted from your system keychain");
    expect(screen.queryByRole("button", { name: "Save gateway" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Remove gateway" }));
    expect(calls).toEqual([["remove_gateway", { id: "g-1" }]]);
    expect(events).toEqual(["removed"]);
  });

  it("Keep it goes back to the form without removing anything", async () => {
    const calls = recordCalls();
    editSiteA();
    await fireEvent.click(screen.getByRole("button", { name: "Remove gateway…" }));
    await fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    expect(screen.getByRole("button", { name: "Save gateway" })).toBeTruthy();
    expect(calls).toEqual([]);
  });
});

describe("GatewayDialog, adding", () => {
  it("sends every field to add_gateway, with no token when the box is empty, and offers no removal", async () => {
    const calls = recordCalls();
    render(GatewayDialog, { onclose: () => {}, onsaved: () => {} });
    expect(screen.queryByRole("button", { name: "Remove gateway…" })).toBeNull();
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Site A" } });
    await fireEvent.input(screen.getByLabelText(/Gateway key/), { target: { value: "key-12345678" } });
    await submit();
    expect(calls).toEqual([
      ["add_gateway", { form: { name: "Site A", apiUrl: "https://api.ekmpush.com", key: "key-12345678", token: undefined, note: "" } }],
    ]);
  });
});
