import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { InvokeArgs } from "@tauri-apps/api/core";
import { tick } from "svelte";
import LcdEditor from "./LcdEditor.svelte";
import { moveEntry } from "./lcd/chosenList";
import { IPC_ERRORS, fakeBackend, fakeSend, knownState, limits, v3Meter, v4Meter as meter } from "../../test/fakeBackend";
import type { Outcome, Plan, Program } from "../ipc";

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

interface PlanCall {
  target: { gatewayId: string; meter: string };
  program: Program;
  force: boolean;
}

/**
 * A backend whose known list starts as `known` and becomes what SetLCD confirmed, that plans one
 * SetLCD per request (or refuses with `planError`), and answers every send with `outcome`.
 */
function backend(options: { known?: string[] | null; planError?: unknown; outcome?: Outcome } = {}) {
  let lcd = options.known ?? null;
  const plans: PlanCall[] = [];
  const knownCalls: unknown[] = [];
  const gateway = fakeSend(options.outcome ?? { status: "confirmed", data: null, timestamp: 1 });
  mockIPC(
    fakeBackend({
      handlers: {
        known_state: (_cmd, args?: InvokeArgs) => {
          knownCalls.push(args);
          return knownState({ lcd: lcd ? { value: lcd, at: "2026-03-01T10:15:00Z", source: "confirmed_write" } : null });
        },
        plan_program: (_cmd, args?: InvokeArgs) => {
          const call = args as unknown as PlanCall;
          plans.push(call);
          if (options.planError) throw options.planError;
          if (call.program.kind !== "lcd") throw new Error("not an LCD program");
          const plan: Plan = {
            commands: [
              { command: "SetLCD", params: { display_fields: call.program.display_fields }, summary: "Display list" },
            ],
            unchanged: [],
          };
          return plan;
        },
      },
      send: (cmd, args) => {
        const outcome = gateway.send(cmd, args);
        if (outcome.status === "confirmed") lcd = gateway.sent.at(-1)?.params?.display_fields as string[];
        return outcome;
      },
    }),
  );
  return { plans, sent: gateway.sent, knownCalls };
}

async function renderEditor(m = meter) {
  const result = render(LcdEditor, { meter: m, limits });
  if (m.version !== "V3") await screen.findByText(/Last confirmed|cannot be read through the API/);
  return result;
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);

function chosenNames(): string[] {
  return [...document.querySelectorAll<HTMLElement>("ol#lcd-chosen > li")].map((li) => li.dataset.item ?? "");
}

function row(position: number): HTMLElement {
  const li = document.querySelectorAll<HTMLElement>("ol#lcd-chosen > li")[position - 1];
  if (!li) throw new Error(`no row ${position}`);
  return li;
}

async function add(...names: string[]) {
  for (const name of names) await fireEvent.click($(`button[data-add="${name}"]`)!);
}

async function reviewAndSend() {
  await fireEvent.click($("#lcd-review")!);
  await fireEvent.click(await screen.findByRole("button", { name: /^Send 1 command$/ }));
  await fireEvent.click(await screen.findByRole("button", { name: "Close" }));
}

/** A DataTransfer stand-in: jsdom has none, and the rows only set and read plain text. */
function dataTransfer() {
  const data = new Map<string, string>();
  return {
    effectAllowed: "all",
    dropEffect: "none",
    setData: (type: string, value: string) => data.set(type, value),
    getData: (type: string) => data.get(type) ?? "",
  };
}

describe("LcdEditor", () => {
  it("plans exactly the items added, in the order they were added, and confirms what the meter shows", async () => {
    const { plans, sent, knownCalls } = backend();
    await renderEditor();
    await add("RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot");
    expect(chosenNames()).toEqual(["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"]);
    expect($("#lcd-count")!.textContent).toBe("3 of 40");
    expect($("#lcd-unsaved")!.textContent).toContain("Unsent changes");

    await fireEvent.click($("#lcd-review")!);
    expect(plans).toEqual([
      {
        target: { gatewayId: "demo", meter: "000350000900" },
        program: { kind: "lcd", display_fields: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] },
        force: false,
      },
    ]);
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByRole("heading").textContent).toContain("Display: 1 command");
    expect(sent).toHaveLength(0);

    await fireEvent.click(within(dialog).getByRole("button", { name: "Send 1 command" }));
    await fireEvent.click(await within(dialog).findByRole("button", { name: "Close" }));
    expect(sent).toEqual([
      {
        gatewayId: "demo",
        meter: "000350000900",
        command: "SetLCD",
        params: { display_fields: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] },
      },
    ]);
    const status = $("#lcd-status")!;
    expect(status.getAttribute("role")).toBe("status");
    await vi.waitFor(() => expect(status.textContent).toContain("Confirmed: the meter now shows these 3 items"));
    // The known state is read again after the send, so the list is no longer "unsaved".
    expect(knownCalls).toHaveLength(2);
    await vi.waitFor(() => expect($("#lcd-unsaved")!.textContent).toContain("No unsent changes"));
  });

  it("sets force when 'Send even if unchanged' is ticked", async () => {
    const { plans } = backend({ known: ["kWh_Tot"] });
    await renderEditor();
    await fireEvent.click($("#lcd-force")!);
    await fireEvent.click($("#lcd-review")!);
    expect(plans[0]).toMatchObject({ program: { display_fields: ["kWh_Tot"] }, force: true });
  });

  it("Alt+ArrowDown moves the focused row down, keeps focus on it, announces it, and the plan gets the new order", async () => {
    const { plans } = backend({ known: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
    await renderEditor();
    const volts = row(1);
    volts.focus();
    await fireEvent.keyDown(volts, { key: "ArrowDown", altKey: true });
    await tick();
    expect(chosenNames()).toEqual(["Line_Freq", "RMS_Volts_Ln_1", "kWh_Tot"]);
    expect(document.activeElement).toBe(row(2));
    expect(row(2).dataset.item).toBe("RMS_Volts_Ln_1");
    expect($("#lcd-announce")!.textContent).toBe("Volts L1 moved to position 2 of 3");

    await fireEvent.keyDown(row(2), { key: "ArrowDown", altKey: true });
    await tick();
    expect(chosenNames()).toEqual(["Line_Freq", "kWh_Tot", "RMS_Volts_Ln_1"]);
    expect($("#lcd-announce")!.textContent).toBe("Volts L1 moved to position 3 of 3");

    await fireEvent.keyDown(row(3), { key: "ArrowUp", altKey: true });
    await tick();
    expect(chosenNames()).toEqual(["Line_Freq", "RMS_Volts_Ln_1", "kWh_Tot"]);

    await fireEvent.click($("#lcd-review")!);
    expect(plans[0].program).toEqual({ kind: "lcd", display_fields: ["Line_Freq", "RMS_Volts_Ln_1", "kWh_Tot"] });
  });

  it("Delete removes the focused row and focus moves to the row that took its place", async () => {
    backend({ known: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
    await renderEditor();
    row(2).focus();
    await fireEvent.keyDown(row(2), { key: "Delete" });
    await tick();
    expect(chosenNames()).toEqual(["RMS_Volts_Ln_1", "kWh_Tot"]);
    expect(document.activeElement).toBe(row(2));
    expect($("#lcd-announce")!.textContent).toBe("Line frequency removed, 2 items left");
  });

  it("the move and remove buttons reorder and shorten the list that is planned", async () => {
    const { plans } = backend({ known: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
    await renderEditor();
    expect(row(1).querySelector<HTMLButtonElement>('[data-move="up"]')!.disabled).toBe(true);
    await fireEvent.click(row(3).querySelector('[data-move="up"]')!);
    expect(chosenNames()).toEqual(["RMS_Volts_Ln_1", "kWh_Tot", "Line_Freq"]);
    await fireEvent.click(row(1).querySelector('[data-move="down"]')!);
    expect(chosenNames()).toEqual(["kWh_Tot", "RMS_Volts_Ln_1", "Line_Freq"]);
    await fireEvent.click(row(3).querySelector("[data-remove]")!);
    expect(chosenNames()).toEqual(["kWh_Tot", "RMS_Volts_Ln_1"]);
    await fireEvent.click($("#lcd-review")!);
    expect(plans[0].program).toEqual({ kind: "lcd", display_fields: ["kWh_Tot", "RMS_Volts_Ln_1"] });
  });

  it("dragging a row onto another puts it in that row's place, with a drop indicator on the way", async () => {
    const { plans } = backend({ known: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
    await renderEditor();
    const transfer = dataTransfer();
    await fireEvent.dragStart(row(1), { dataTransfer: transfer });
    expect(transfer.getData("text/plain")).toBe("RMS_Volts_Ln_1");
    await fireEvent.dragOver(row(3), { dataTransfer: transfer });
    expect(row(3).dataset.drop).toBe("after");
    await fireEvent.drop(row(3), { dataTransfer: transfer });
    expect(chosenNames()).toEqual(["Line_Freq", "kWh_Tot", "RMS_Volts_Ln_1"]);
    expect(document.querySelector("[data-drop]")).toBeNull();

    await fireEvent.dragStart(row(3), { dataTransfer: transfer });
    await fireEvent.dragOver(row(1), { dataTransfer: transfer });
    expect(row(1).dataset.drop).toBe("before");
    await fireEvent.drop(row(1), { dataTransfer: transfer });
    expect(chosenNames()).toEqual(["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"]);

    await fireEvent.click($("#lcd-review")!);
    expect(plans[0].program).toEqual({ kind: "lcd", display_fields: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
  });

  it("moveEntry puts the element at `from` at index `to` and ignores indexes outside the list", () => {
    expect(moveEntry(["a", "b", "c", "d"], 0, 2)).toEqual(["b", "c", "a", "d"]);
    expect(moveEntry(["a", "b", "c", "d"], 3, 1)).toEqual(["a", "d", "b", "c"]);
    expect(moveEntry(["a", "b"], 0, 2)).toEqual(["a", "b"]);
    expect(moveEntry(["a", "b"], -1, 0)).toEqual(["a", "b"]);
  });

  it(`at ${limits.max_lcd_items} items every Add button is disabled and says why`, async () => {
    backend();
    await renderEditor();
    for (let i = 0; i < limits.max_lcd_items; i++) await add(limits.lcd_items[i % limits.lcd_items.length].name);
    expect($("#lcd-count")!.textContent).toBe(`${limits.max_lcd_items} of ${limits.max_lcd_items}`);
    const addButtons = [...document.querySelectorAll<HTMLButtonElement>("button[data-add]")];
    expect(addButtons).toHaveLength(limits.lcd_items.length);
    expect(addButtons.every((b) => b.disabled)).toBe(true);
    expect($("#lcd-full")!.textContent).toContain(`at most ${limits.max_lcd_items} items`);
    expect(addButtons[0].getAttribute("aria-describedby")).toBe("lcd-full");

    await fireEvent.click(row(1).querySelector("[data-remove]")!);
    expect($<HTMLButtonElement>('button[data-add="kWh_Tot"]')!.disabled).toBe(false);
    expect($("#lcd-full")).toBeNull();
  });

  it("shows Rust's invalid_input message next to the list, marks the row, and does not open the plan", async () => {
    const { message } = IPC_ERRORS.lcd_unknown_item;
    const { plans } = backend({
      known: ["kWh_Tot", "Raw_Pulse_1"],
      planError: IPC_ERRORS.lcd_unknown_item,
    });
    await renderEditor();
    await fireEvent.click($("#lcd-review")!);
    expect(plans).toHaveLength(1);
    const error = await screen.findByRole("alert");
    expect(error.id).toBe("lcd-error");
    expect(error.textContent).toBe(message);
    expect($("ol#lcd-chosen")!.getAttribute("aria-describedby")).toBe("lcd-error");
    expect(row(2).classList.contains("invalid")).toBe(true);
    expect(row(2).getAttribute("aria-describedby")).toContain("lcd-error");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.querySelector("#plan-send")).toBeNull();

    // Editing the list makes the message stale, so it goes.
    await fireEvent.click(row(2).querySelector("[data-remove]")!);
    expect($("#lcd-error")).toBeNull();
  });

  it("starts from the list this app last had confirmed, and Reset brings it back after edits", async () => {
    const { knownCalls } = backend({ known: ["Line_Freq", "RMS_Volts_Ln_2"] });
    await renderEditor();
    expect(knownCalls).toEqual([{ target: { gatewayId: "demo", meter: "000350000900" } }]);
    expect(chosenNames()).toEqual(["Line_Freq", "RMS_Volts_Ln_2"]);
    expect($("#lcd-known")!.textContent).toContain("Last confirmed");
    expect($("#lcd-known")!.textContent).toContain("by this app");
    expect($("#lcd-unsaved")!.textContent).toContain("No unsent changes");

    await fireEvent.click($("#lcd-clear")!);
    expect(chosenNames()).toEqual([]);
    expect($("#lcd-unsaved")!.textContent).toContain("Unsent changes");
    expect($<HTMLButtonElement>("#lcd-review")!.disabled).toBe(true);

    await fireEvent.click($("#lcd-discard")!);
    expect(chosenNames()).toEqual(["Line_Freq", "RMS_Volts_Ln_2"]);
    expect($("#lcd-unsaved")!.textContent).toContain("No unsent changes");
  });

  it("with nothing known, starts empty, says the first send replaces the meter's list, and asks for an item", async () => {
    backend();
    await renderEditor();
    expect(chosenNames()).toEqual([]);
    expect($("#lcd-known")!.textContent).toContain("cannot be read through the API");
    expect($("#lcd-known")!.textContent).toContain("first send replaces the meter's list entirely");
    expect($<HTMLButtonElement>("#lcd-review")!.disabled).toBe(true);
    expect($("#lcd-too-few")!.textContent).toContain("Add at least 1 item");
  });

  it("a V3 meter gets one line of explanation, no list and no send button", async () => {
    const { knownCalls } = backend();
    await renderEditor(v3Meter);
    expect($("#lcd-v3")!.textContent).toContain("needs a V4 or V5 meter");
    expect($("#lcd-review")).toBeNull();
    expect($("ol#lcd-chosen")).toBeNull();
    expect(knownCalls).toHaveLength(0);
  });

  it("the catalogue follows limits.lcd_groups, filters by label or wire name, and notes items already chosen", async () => {
    backend({ known: ["RMS_Volts_Ln_1"] });
    await renderEditor();
    const headings = [...document.querySelectorAll(".catalogue h4")].map((h) => h.textContent);
    expect(headings).toEqual(limits.lcd_groups.filter((g) => limits.lcd_items.some((i) => i.group === g)));

    const volts = $('button[data-add="RMS_Volts_Ln_1"]')!.closest("li")!;
    expect(volts.textContent).toContain("Volts L1");
    expect(volts.textContent).toContain("Already in the list");
    // Duplicates are allowed (reference G22).
    await add("RMS_Volts_Ln_1");
    expect(chosenNames()).toEqual(["RMS_Volts_Ln_1", "RMS_Volts_Ln_1"]);
    expect(volts.textContent).toContain("Already in the list 2 times");

    await fireEvent.input($("#lcd-filter")!, { target: { value: "freq" } });
    expect([...document.querySelectorAll<HTMLElement>("button[data-add]")].map((b) => b.dataset.add)).toEqual(["Line_Freq"]);
    await fireEvent.input($("#lcd-filter")!, { target: { value: "reactive_pwr_ln" } });
    expect(document.querySelectorAll("button[data-add]")).toHaveLength(3);
    await fireEvent.input($("#lcd-filter")!, { target: { value: "no such item" } });
    expect($("#lcd-no-match")).not.toBeNull();
  });

  it("the preview shows item 1 of n with its label and a sample reading, and Next steps through the cycle", async () => {
    backend({ known: ["RMS_Volts_Ln_1", "Line_Freq", "kWh_Tot"] });
    await renderEditor();
    const preview = $("#lcd-preview")!;
    expect(preview.textContent).toContain("sample values");
    expect(preview.textContent).toContain("item 1 of 3");
    expect(preview.textContent).toContain("Volts L1");
    expect(preview.textContent).toMatch(/\d+\.\d V/);
    const first = preview.querySelector(".lcd")!.textContent;

    await fireEvent.click(within(preview).getByRole("button", { name: "Next" }));
    expect(preview.textContent).toContain("item 2 of 3");
    expect(preview.textContent).toContain("Line frequency");
    expect(preview.textContent).toMatch(/\d+\.\d\d Hz/);
    await fireEvent.click(within(preview).getByRole("button", { name: "Next" }));
    await fireEvent.click(within(preview).getByRole("button", { name: "Next" }));
    expect(preview.textContent).toContain("item 1 of 3");
    // Sample readings are the same every time.
    expect(preview.querySelector(".lcd")!.textContent).toBe(first);
  });

  it("the preview cycles by itself, and Pause stops it", async () => {
    backend({ known: ["RMS_Volts_Ln_1", "Line_Freq"] });
    await renderEditor();
    vi.useFakeTimers();
    const preview = $("#lcd-preview")!;
    await fireEvent.click(within(preview).getByRole("button", { name: "Pause" }));
    await fireEvent.click(within(preview).getByRole("button", { name: "Play" }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(preview.textContent).toContain("item 2 of 2");
    await fireEvent.click(within(preview).getByRole("button", { name: "Pause" }));
    await vi.advanceTimersByTimeAsync(10000);
    expect(preview.textContent).toContain("item 2 of 2");
  });

  it("with reduced motion asked for, the preview only steps by hand", async () => {
    vi.stubGlobal("matchMedia", (query: string) => ({
      matches: query.includes("prefers-reduced-motion"),
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    backend({ known: ["RMS_Volts_Ln_1", "Line_Freq"] });
    await renderEditor();
    vi.useFakeTimers();
    const preview = $("#lcd-preview")!;
    expect(preview.textContent).toContain("reduced motion");
    expect(within(preview).getByRole("button", { name: "Play" })).toHaveProperty("disabled", true);
    await vi.advanceTimersByTimeAsync(10000);
    expect(preview.textContent).toContain("item 1 of 2");
    await fireEvent.click(within(preview).getByRole("button", { name: "Next" }));
    expect(preview.textContent).toContain("item 2 of 2");
  });

  it("an unconfirmed send is shown as unconfirmed, with what that means, and is sent once", async () => {
    const { sent } = backend({ known: ["kWh_Tot"], outcome: { status: "unconfirmed" } });
    await renderEditor();
    await add("Line_Freq");
    await reviewAndSend();
    const status = $("#lcd-status")!;
    await vi.waitFor(() => expect(status.querySelector("[data-state]")?.getAttribute("data-state")).toBe("unconfirmed"));
    expect(status.textContent).toContain("Unconfirmed");
    expect(status.textContent).toContain("will not send it again");
    expect(sent).toHaveLength(1);
    expect($("#lcd-unsaved")!.textContent).toContain("Unsent changes");
  });

  it("a failed send shows the gateway's text", async () => {
    backend({ known: ["kWh_Tot"], outcome: { status: "failed", error: "meter 000350000900: no ACK", timestamp: 1 } });
    await renderEditor();
    await add("Line_Freq");
    await reviewAndSend();
    const status = $("#lcd-status")!;
    await vi.waitFor(() => expect(status.textContent).toContain("Failed"));
    expect(status.textContent).toContain("meter 000350000900: no ACK");
  });
});
