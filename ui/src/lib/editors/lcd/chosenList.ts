// The display list being edited: wire names in the order the meter will cycle through them.
// The same item may appear twice (reference G22 allows duplicates), so a name cannot identify a
// row; each entry carries its own key, which follows it when it is moved, dragged or focused.

export interface ChosenEntry {
  key: number;
  /** The LCD item's wire name, as sent in `display_fields`. */
  name: string;
}

let lastKey = 0;

export function newEntry(name: string): ChosenEntry {
  lastKey += 1;
  return { key: lastKey, name };
}

export function entriesOf(names: readonly string[]): ChosenEntry[] {
  return names.map(newEntry);
}

export function namesOf(entries: readonly ChosenEntry[]): string[] {
  return entries.map((e) => e.name);
}

/**
 * `list` with the element at `from` taken out and put back so that it ends up at index `to`;
 * indexes outside the list leave it as it is. Dropping a dragged row onto another row, and
 * Alt+Arrow on a focused row, both mean "take that row's place".
 */
export function moveEntry<T>(list: readonly T[], from: number, to: number): T[] {
  const inRange = (i: number) => Number.isInteger(i) && i >= 0 && i < list.length;
  if (!inRange(from) || !inRange(to) || from === to) return [...list];
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
