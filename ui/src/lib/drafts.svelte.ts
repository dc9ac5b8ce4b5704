// Every editor's unsent state, per meter, outside the editors: a tab switch, another meter, a
// crash or a restart loses nothing. Each change goes to Rust's store at once (the store keeps one
// draft per meter and editor), so there is no window in which a closed app forgets an edit; a
// change made while the last one is still on its way waits, and only the newest is written.
import { ipc, IpcError, type Draft, type DraftPart, type JsonValue, type MeterRef } from "./ipc";

/** One meter, as the drafts are keyed. */
export const meterKey = (target: MeterRef) => `${target.gatewayId}\u0000${target.meter}`;

/** For people: which editor a draft belongs to, as its tab is labelled, in the tabs' order. */
export const PART_LABEL: Record<DraftPart, string> = {
  lcd: "Display",
  tou: "Time of use",
  settings: "Settings",
  advanced: "Advanced",
};

type Write = { kind: "save"; value: JsonValue } | { kind: "discard" };

class Drafts {
  /** meter key → editor → the editor's state. */
  #values = $state<Record<string, Partial<Record<DraftPart, JsonValue>>>>({});
  /** The drafts found when the window opened, for the start-up notice. */
  restored = $state<Draft[]>([]);
  /** meter key + editor → why its draft could not be kept. */
  #problems = $state<Record<string, string>>({});
  /** Per meter and editor: the write under way, and the newest one waiting behind it. */
  #writing = new Map<string, Promise<void>>();
  #waiting = new Map<string, Write>();

  /** Reads every kept draft; the window does this once, before any editor opens. */
  async load(): Promise<void> {
    const all = await ipc.listDrafts();
    const values: Record<string, Partial<Record<DraftPart, JsonValue>>> = {};
    for (const d of all) (values[meterKey(d)] ??= {})[d.part] = d.value;
    this.#values = values;
    this.restored = all;
  }

  /** As a new window starts: nothing read yet (the component tests mount many windows in one). */
  reset(): void {
    this.#values = {};
    this.restored = [];
    this.#problems = {};
    this.#writing.clear();
    this.#waiting.clear();
  }

  /** The meter's draft for `part`, as a plain copy the editor may change; undefined if none. */
  get<T>(target: MeterRef, part: DraftPart): T | undefined {
    const value: unknown = this.#values[meterKey(target)]?.[part];
    return value === undefined ? undefined : ($state.snapshot(value) as T);
  }

  has(target: MeterRef, part: DraftPart): boolean {
    return this.#values[meterKey(target)]?.[part] !== undefined;
  }

  /** The editors holding unsent changes for the meter. */
  parts(target: MeterRef): DraftPart[] {
    return Object.keys(this.#values[meterKey(target)] ?? {}) as DraftPart[];
  }

  /** Whether the meter (by gateway id and address) has unsent changes in any editor. */
  any(gatewayId: string, meter: string): boolean {
    return this.parts({ gatewayId, meter }).length > 0;
  }

  /** Why the meter's draft for `part` could not be kept, if it could not. */
  problem(target: MeterRef, part: DraftPart): string | null {
    return this.#problems[meterKey(target) + part] ?? null;
  }

  /** Keeps `value` as the meter's draft for `part`. */
  put(target: MeterRef, part: DraftPart, value: JsonValue): void {
    (this.#values[meterKey(target)] ??= {})[part] = value;
    this.#write(target, part, { kind: "save", value });
  }

  /** Forgets the meter's draft for `part`: the user discarded it, or it was sent and confirmed. */
  discard(target: MeterRef, part: DraftPart): void {
    const key = meterKey(target);
    const values = this.#values[key];
    if (values?.[part] === undefined) return;
    delete values[part];
    if (Object.keys(values).length === 0) delete this.#values[key];
    this.restored = this.restored.filter((d) => !(meterKey(d) === key && d.part === part));
    this.#write(target, part, { kind: "discard" });
  }

  /** Resolves once every change made so far is in the store. */
  async settled(): Promise<void> {
    while (this.#writing.size > 0) await Promise.all([...this.#writing.values()]);
  }

  #write(target: MeterRef, part: DraftPart, write: Write) {
    const slot = meterKey(target) + part;
    this.#waiting.set(slot, write);
    if (this.#writing.has(slot)) return;
    const run = async () => {
      for (let next = this.#waiting.get(slot); next; next = this.#waiting.get(slot)) {
        this.#waiting.delete(slot);
        try {
          if (next.kind === "save") await ipc.saveDraft(target, part, next.value);
          else await ipc.discardDraft(target, part);
          delete this.#problems[slot];
        } catch (e) {
          this.#problems[slot] = e instanceof IpcError ? e.message : String(e);
        }
      }
      this.#writing.delete(slot);
    };
    this.#writing.set(slot, run());
  }
}

export const drafts = new Drafts();
