// The keyboard of the ARIA tabs pattern, shared by every tab strip: arrow keys move to the next
// or previous tab (wrapping), Home and End to the first and last.

/**
 * The index of the tab `key` moves to from `index` among `count` tabs, or null when the key is
 * not one of the pattern's. `vertical` also lets Up and Down move, for strips that wrap lines.
 */
export function tabKeyTarget(key: string, index: number, count: number, vertical = false): number | null {
  const last = count - 1;
  if (key === "ArrowRight" || (vertical && key === "ArrowDown")) return index === last ? 0 : index + 1;
  if (key === "ArrowLeft" || (vertical && key === "ArrowUp")) return index === 0 ? last : index - 1;
  if (key === "Home") return 0;
  if (key === "End") return last;
  return null;
}
