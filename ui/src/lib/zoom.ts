// Ctrl/Cmd with +, − and 0 zoom the window as in a browser. Rust owns the steps
// (push3_domain::zoom), sets the zoom, and remembers it for the next start (window_zoom.rs).
import { ipc } from "./ipc";

/** Which way a key zooms: 1 in, −1 out, 0 back to 100%; null for any other key. */
export function zoomDirection(event: KeyboardEvent): 1 | -1 | 0 | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  switch (event.key) {
    case "+":
    case "=":
      return 1;
    case "-":
    case "_":
      return -1;
    case "0":
      return 0;
    default:
      return null;
  }
}

/** Listens on `target` (the window) for the zoom keys. */
export function zoomWithKeys(target: Window = window): void {
  target.addEventListener("keydown", (event) => {
    const direction = zoomDirection(event as KeyboardEvent);
    if (direction === null) return;
    event.preventDefault();
    ipc.zoomStep(direction).catch(() => {});
  });
}
