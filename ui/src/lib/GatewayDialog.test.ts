import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import GatewayDialog from "./GatewayDialog.svelte";
import { rustError, siteA } from "../test/fakeBackend";
import type { ConnectionTest, WireProfileInfo } from "./ipc";

afterEach(() => clearMocks());

const PROFILES: WireProfileInfo[] = [
  { id: "nested-from-1", name: "Nested lists, schedules from 1", notes: "Push3 Desk's first guess.", builtIn: true, scheduleNumbering: 1 },
  { id: "flat-from-0", name: "Flat keys, schedules from 0 (EKM's libraries)", notes: "EKM's library keys.", builtIn: true, scheduleNumbering: 0 },
];

/** Records every IPC call but the profile list, and answers as Rust would for the command. */
function recordCalls(answer: (cmd: string, args: unknown) => unknown = () => siteA, profiles = PROFILES) {
  const calls: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "list_wire_profiles") return profiles;
    calls.push([cmd, args]);
    return answer(cmd, args);
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
      [
        "add_gateway",
        {
          form: {
            name: "Site A",
            apiUrl: "https://api.ekmpush.com",
            key: "key-12345678",
            token: undefined,
            note: "",
            wireProfile: "nested-from-1",
          },
        },
      ],
    ]);
  });

  it("takes an API token alone, with no key, and the chosen wire profile", async () => {
    const calls = recordCalls();
    render(GatewayDialog, { onclose: () => {}, onsaved: () => {} });
    const keyBox = screen.getByLabelText(/Gateway key/) as HTMLInputElement;
    expect(keyBox.required).toBe(true);
    await fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Cloud" } });
    await fireEvent.input(screen.getByLabelText(/^API token/), { target: { value: "tok-12345678" } });
    expect(keyBox.required).toBe(false);
    await screen.findByRole("option", { name: /Flat keys/ });
    await fireEvent.change(screen.getByLabelText("Wire profile"), { target: { value: "flat-from-0" } });
    expect(screen.getByText(/schedules counted from 0/)).toBeTruthy();
    await submit();
    expect(calls).toEqual([
      [
        "add_gateway",
        {
          form: {
            name: "Cloud",
            apiUrl: "https://api.ekmpush.com",
            key: undefined,
            token: "tok-12345678",
            note: "",
            wireProfile: "flat-from-0",
          },
        },
      ],
    ]);
  });

  it("tests the unsaved form and shows each step, a failure in words", async () => {
    const result: ConnectionTest = {
      meter: "000350000900",
      checks: [
        { step: "api", passed: true, problem: null, message: "The API accepted a GetTariffData for meter 000350000900: the key was accepted" },
        { step: "stream", passed: false, problem: "stream_forbidden", message: "The response stream answered 403 Forbidden until the deadline" },
      ],
      passed: false,
      elapsed_ms: 3000,
      msg_id: "m-1",
    };
    const calls = recordCalls(() => result);
    const events: string[] = [];
    render(GatewayDialog, { onclose: () => {}, onsaved: () => events.push("saved") });
    await fireEvent.input(screen.getByLabelText("API URL"), { target: { value: "http://127.0.0.1:5555" } });
    await fireEvent.input(screen.getByLabelText(/Gateway key/), { target: { value: "key-12345678" } });
    await fireEvent.input(screen.getByLabelText("Meter to read"), { target: { value: "350000900" } });
    await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
    const list = await screen.findByRole("list");
    expect(calls).toEqual([
      [
        "test_gateway",
        { form: { gatewayId: undefined, name: "", apiUrl: "http://127.0.0.1:5555", key: "key-12345678", token: undefined, clearToken: undefined, meter: "350000900" } },
      ],
    ]);
    expect(list.getAttribute("data-passed")).toBe("false");
    const items = Array.from(list.querySelectorAll("li"));
    expect(items.map((li) => li.classList.contains("state-confirmed"))).toEqual([true, false]);
    expect(items[1].classList.contains("state-failed")).toBe(true);
    expect(items[1].textContent).toContain("✗ Response stream");
    expect(items[1].textContent).toContain("403 Forbidden");
    // A test saves nothing.
    expect(events).toEqual([]);
  });

  it("says why a test could not run, and a loaded profile becomes the choice", async () => {
    let loaded = false;
    const site: WireProfileInfo = { id: "site-flat", name: "Site flat", notes: "", builtIn: false, scheduleNumbering: 0 };
    mockIPC((cmd) => {
      if (cmd === "list_wire_profiles") return loaded ? [...PROFILES, site] : PROFILES;
      if (cmd === "load_wire_profile") {
        if (!loaded) {
          loaded = true;
          rustError("wire_profile_bad_key");
        }
        return { profile: site, replaced: false, spokenBy: [] };
      }
      if (cmd === "test_gateway") rustError("gateway_test_no_meter");
      return null;
    });
    render(GatewayDialog, { onclose: () => {}, onsaved: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
    const problem = await screen.findByRole("alert");
    expect(problem.id).toBe("gateway-test-problem");
    expect(problem.textContent).toBe("Name a meter on this gateway to read for the test");
    // A bad file is refused with its field, and the choice stays.
    await fireEvent.click(screen.getByRole("button", { name: "Load profile file…" }));
    expect((await screen.findByText(/set_schedule.periods.keys.minute/)).id).toBe("gateway-profile-problem");
    expect((screen.getByLabelText("Wire profile") as HTMLSelectElement).value).toBe("nested-from-1");
    await fireEvent.click(screen.getByRole("button", { name: "Load profile file…" }));
    await screen.findByRole("option", { name: "Site flat (loaded)" });
    expect((screen.getByLabelText("Wire profile") as HTMLSelectElement).value).toBe("site-flat");
    expect(screen.getByRole("status").textContent).toBe("Loaded “Site flat”.");
  });

  it("says when a load replaced a loaded profile, and which gateways speak it from now on", async () => {
    const site: WireProfileInfo = { id: "site-flat", name: "Site flat v2", notes: "", builtIn: false, scheduleNumbering: 0 };
    mockIPC((cmd) => {
      if (cmd === "list_wire_profiles") return [...PROFILES, site];
      if (cmd === "load_wire_profile") return { profile: site, replaced: true, spokenBy: ["North", "Site A"] };
      return null;
    });
    editSiteA();
    await fireEvent.click(screen.getByRole("button", { name: "Load profile file…" }));
    const said = await screen.findByRole("status");
    expect(said.textContent).toBe(
      "Replaced the loaded profile “Site flat v2”: gateways North, Site A speak it from the next command.",
    );
    expect((screen.getByLabelText("Wire profile") as HTMLSelectElement).value).toBe("site-flat");
  });
});

describe("GatewayDialog, removing a loaded profile", () => {
  const site: WireProfileInfo = { id: "site-flat", name: "Site flat", notes: "", builtIn: false, scheduleNumbering: 0 };

  it("offers removal for a loaded profile only, asks first, then falls back to the gateway's own", async () => {
    let list = [...PROFILES, site];
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_wire_profiles") return list;
      calls.push([cmd, args]);
      if (cmd === "remove_wire_profile") list = PROFILES;
      return null;
    });
    editSiteA();
    const select = screen.getByLabelText("Wire profile") as HTMLSelectElement;
    await screen.findByRole("option", { name: "Site flat (loaded)" });
    expect(screen.queryByRole("button", { name: "Remove…" })).toBeNull();
    await fireEvent.change(select, { target: { value: "flat-from-0" } });
    expect(screen.queryByRole("button", { name: "Remove…" }), "never a built-in one").toBeNull();
    await fireEvent.change(select, { target: { value: "site-flat" } });
    await fireEvent.click(screen.getByRole("button", { name: "Remove…" }));
    expect(screen.getByRole("alert").textContent).toContain("Remove “Site flat” from Push3 Desk?");
    expect(calls, "nothing removed before the confirmation").toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Remove…" }));
    await fireEvent.click(screen.getByRole("button", { name: "Remove profile" }));
    await vi.waitFor(() => expect(screen.queryByRole("option", { name: "Site flat (loaded)" })).toBeNull());
    expect(calls).toEqual([["remove_wire_profile", { id: "site-flat" }]]);
    expect(select.value).toBe(siteA.wireProfile);
    expect(screen.queryByRole("button", { name: "Remove…" })).toBeNull();
  });

  it("shows Rust's refusal naming the gateway that speaks it, and keeps the profile", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_wire_profiles") return [...PROFILES, site];
      if (cmd === "remove_wire_profile") rustError("wire_profile_in_use");
      return null;
    });
    editSiteA({ gateway: { ...siteA, wireProfile: "site-flat" } });
    await screen.findByRole("option", { name: "Site flat (loaded)" });
    await fireEvent.click(screen.getByRole("button", { name: "Remove…" }));
    await fireEvent.click(screen.getByRole("button", { name: "Remove profile" }));
    const problem = await screen.findByText(/spoken by gateway Site S: set it to another profile first/);
    expect(problem.id).toBe("gateway-profile-problem");
    expect((screen.getByLabelText("Wire profile") as HTMLSelectElement).value).toBe("site-flat");
    expect(screen.getByRole("option", { name: "Site flat (loaded)" })).toBeTruthy();
  });
});

describe("GatewayDialog, a gateway reached by its token alone", () => {
  it("says no key is stored and will not clear the token until a key is given", async () => {
    const calls = recordCalls();
    editSiteA({ gateway: { ...siteA, keyHint: "" } });
    expect(screen.getByText(/No key stored: this gateway is reached by its API token alone/)).toBeTruthy();
    const clear = screen.getByLabelText("Remove the API token") as HTMLInputElement;
    expect(clear.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText(/Gateway key/), { target: { value: "key-12345678" } });
    expect(clear.disabled).toBe(false);
    await fireEvent.click(clear);
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { key: "key-12345678", clearToken: true } }]]);
  });

  it("sends a changed wire profile and nothing else", async () => {
    const calls = recordCalls();
    editSiteA();
    await screen.findByRole("option", { name: /Flat keys/ });
    await fireEvent.change(screen.getByLabelText("Wire profile"), { target: { value: "flat-from-0" } });
    await submit();
    expect(calls).toEqual([["edit_gateway", { id: "g-1", form: { wireProfile: "flat-from-0" } }]]);
  });
});
