// Which rows of a long list of fixed-height rows are worth rendering: those in view, and a few
// on either side so a quick scroll or an arrow key never shows a blank row.

export interface RowWindow {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height of the rows above `start`, in px, kept as empty space. */
  before: number;
  /** Height of the rows from `end` on. */
  after: number;
}

const OVERSCAN_ROWS = 6;

export function visibleWindow(count: number, rowHeight: number, scrollTop: number, viewportHeight: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.min(count, Math.max(0, first - OVERSCAN_ROWS));
  const end = Math.min(count, Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight) + OVERSCAN_ROWS);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: (count - Math.max(start, end)) * rowHeight };
}
