import { afterEach, describe, expect, it, vi } from "vitest";
import type { Channel } from "@tauri-apps/api/core";
import type { StoreChange, WorkInFlight } from "./lib/ipc";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import { demoGateway, demoMeters, fakeBackend, knownState, pumpHouse, siteA } from "./test/fakeBackend";

afterEach(() => clearMocks());

describe("App shell", () => {
  it("shows the product name and the version Rust reports", async () => {
    mockIPC(fakeBackend({ version: "9.9.9" }));
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Push3 Desk");
    expect(await screen.findByText("v9.9.9")).toBeTruthy();
  });

  it("a meter another process adds to the store appears when Rust says the store changed", async () => {
    const meters = [...demoMeters];
    let onChange: Channel<StoreChange> | undefined;
    const calls: string[] = [];
    const backend = fakeBackend({
      meters,
      handlers: {
        watch_store: (_cmd, args) => {
          onChange = (args as unknown as { onChange: Channel<StoreChange> }).onChange;
          return null;
        },
      },
    });
    mockIPC((cmd, args) => {
      calls.push(cmd);
      return backend(cmd, args);
    });
    render(App);
    await screen.findByText("Main service panel");
    await vi.waitFor(() => expect(onChange).toBeDefined());
    expect(screen.queryByText("Pump house")).toBeNull();

    // A command recorded elsewhere changes the audit log only: the meters are not read again.
    const listed = () => calls.filter((c) => c === "list_meters").length;
    const before = listed();
    meters.push({ ...pumpHouse, gatewayId: "demo" });
    onChange!.onmessage({ inventory: false, audit: true, templates: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(listed()).toBe(before);
    expect(screen.queryByText("Pump house")).toBeNull();

    // As `push3 meter add` would, between two of Rust's checks.
    onChange!.onmessage({ inventory: true, audit: false, templates: false });
    expect(await screen.findByText("Pump house")).toBeTruthy();
  });

  it("lists the demo gateway, labelled as demo, with its meters", async () => {
    mockIPC(fakeBackend());
    render(App);
    expect(await screen.findByText("Main service panel")).toBeTruthy();
    expect(screen.getByText("DEMO")).toBeTruthy();
    expect(screen.getByText("Old barn")).toBeTruthy();
  });

  it("search narrows the meter list by name, address or tag", async () => {
    mockIPC(fakeBackend());
    render(App);
    await screen.findByText("Main service panel");
    await fireEvent.input(screen.getByLabelText("Search meters"), { target: { value: "barn" } });
    expect(screen.queryByText("Main service panel")).toBeNull();
    expect(screen.getByText("Old barn")).toBeTruthy();
  });

  it("a V3 meter offers no relays and says why", async () => {
    mockIPC(fakeBackend());
    render(App);
    await fireEvent.click(await screen.findByText("Old barn"));
    expect((await screen.findByText(/V3 Omnimeters have no controllable relays/)).textContent).toBeTruthy();
    expect(screen.queryByText(/Relay 1/)).toBeNull();
  });

  it("a V4 meter on the demo gateway shows both relays and the demo banner", async () => {
    mockIPC(fakeBackend());
    render(App);
    await fireEvent.click(await screen.findByText("Main service panel"));
    expect(await screen.findByRole("heading", { name: "Relay 1" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Relay 2" })).toBeTruthy();
    expect(screen.getByText(/nothing reaches real equipment/)).toBeTruthy();
  });

  it("demo items offer no edit; an own gateway and its meter do", async () => {
    mockIPC(fakeBackend({ gateways: [demoGateway, siteA], meters: [...demoMeters, pumpHouse] }));
    render(App);
    await screen.findByText("Pump house");
    const edits = screen.getAllByRole("button", { name: /^Edit gateway/ });
    expect(edits.map((b) => b.getAttribute("aria-label"))).toEqual(["Edit gateway Site A"]);

    await fireEvent.click(screen.getByText("Main service panel"));
    await screen.findByRole("heading", { name: "Relay 1" });
    expect(screen.queryByRole("button", { name: /Edit meter/ })).toBeNull();

    await fireEvent.click(screen.getByText("Pump house"));
    await fireEvent.click(await screen.findByRole("button", { name: "Edit meter…" }));
    // Dialogs and the meter page are fetched when first opened (lib/lazy.svelte.ts): find, not get.
    expect(await screen.findByRole("heading", { name: "Edit meter 000111222333" })).toBeTruthy();
  });

  it("the gateway's Edit button opens its edit dialog", async () => {
    mockIPC(fakeBackend({ gateways: [demoGateway, siteA], meters: [...demoMeters, pumpHouse] }));
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Edit gateway Site A" }));
    expect(await screen.findByRole("heading", { name: "Edit gateway Site A" })).toBeTruthy();
    expect(screen.getByText(/Stored key ends ••••1234/)).toBeTruthy();
  });

  it("names the meters with unsent changes kept from before, marks them, and opens one", async () => {
    mockIPC(
      fakeBackend({
        handlers: { known_state: () => knownState() },
        drafts: [
          { gatewayId: "demo", meter: "000350000900", part: "tou", value: {}, savedAt: "2026-12-05T17:00:00Z" },
          { gatewayId: "demo", meter: "000350000900", part: "settings", value: {}, savedAt: "2026-12-05T16:00:00Z" },
        ],
      }),
    );
    render(App);
    const notice = await screen.findByRole("region", { name: /Unsent changes kept from last time on 1 meter/ });
    await vi.waitFor(() =>
      expect(notice.textContent!.replace(/\s+/g, " ")).toContain("Main service panel: Time of use, Settings"),
    );
    expect(document.querySelector('[data-unsent-for="000350000900"]')).toBeTruthy();
    expect(document.querySelector('[data-unsent-for="000000030001"]')).toBeNull();
    await fireEvent.click(within(notice).getByRole("button", { name: "Main service panel" }));
    expect((await screen.findByRole("heading", { level: 2, name: "Main service panel" })).textContent).toBe("Main service panel");
    await fireEvent.click(within(notice).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("region", { name: /Unsent changes kept/ })).toBeNull();
  });

  it("asks before closing while work is under way, says what would stop, and quits only when told", async () => {
    let onRequest: Channel<WorkInFlight> | undefined;
    const calls: string[] = [];
    const backend = fakeBackend({
      handlers: {
        watch_close: (_cmd, args) => {
          onRequest = (args as unknown as { onRequest: Channel<WorkInFlight> }).onRequest;
          return null;
        },
        quit: () => null,
      },
    });
    mockIPC((cmd, args) => {
      calls.push(cmd);
      return backend(cmd, args);
    });
    render(App);
    await vi.waitFor(() => expect(onRequest).toBeDefined());
    const work: WorkInFlight = {
      jobs: [{ jobId: 3, kind: "bulk", total: 40, finished: 12, paused: false }],
      commands: [{ meter: "000350000900", command: "SetRelay" }],
    };
    onRequest!.onmessage(work);
    const dialog = await screen.findByRole("dialog", { name: "Quit Push3 Desk while work is under way?" });
    expect(dialog.textContent).toContain("A bulk apply is running: 12 of 40 meters finished.");
    expect(dialog.textContent).toContain("SetRelay to meter 000350000900 is waiting for its answer.");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Keep working" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls).not.toContain("quit");

    onRequest!.onmessage({ ...work, commands: [] });
    const again = await screen.findByRole("dialog");
    await fireEvent.click(within(again).getByRole("button", { name: "Quit anyway" }));
    await vi.waitFor(() => expect(calls).toContain("quit"));
  });
});
