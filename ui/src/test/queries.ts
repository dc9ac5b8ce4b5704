// DOM look-ups the component tests share; the element ids are the ones the end-to-end tests use too.
import { waitFor } from "@testing-library/svelte";

/** The element with `id`, typed as the caller expects (null when it is not there). */
export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Waits for the element with `id` to appear. */
export async function appear<T extends HTMLElement = HTMLElement>(id: string): Promise<T> {
  return waitFor(() => {
    const el = byId<T>(id);
    if (!el) throw new Error(`#${id} is not there`);
    return el;
  });
}
