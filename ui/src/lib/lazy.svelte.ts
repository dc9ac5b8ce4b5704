import type { Component } from "svelte";

/**
 * A component whose code is fetched the first time the UI asks for it. The first screen (the
 * meter list) then parses, compiles and keeps in memory only its own code; a meter's editors,
 * the Fleet and History views and the dialogs come in as their own chunks when first opened.
 * A chunk is served from the app's own bundle, so "loading" lasts milliseconds.
 */
export class LazyComponent<Props extends Record<string, any>> {
  #load: () => Promise<{ default: Component<Props> }>;
  #started = false;
  #component = $state<Component<Props> | null>(null);
  #failure = $state<string | null>(null);

  constructor(load: () => Promise<{ default: Component<Props> }>) {
    this.#load = load;
  }

  /** The component once its code is in; `null` until then. Asking starts the fetch. */
  get component(): Component<Props> | null {
    this.#start();
    return this.#component;
  }

  /** Why the code could not be fetched, if it could not. */
  get failure(): string | null {
    this.#start();
    return this.#failure;
  }

  #start() {
    if (this.#started) return;
    this.#started = true;
    this.#load().then(
      (module) => (this.#component = module.default),
      (e) => (this.#failure = `This part of the app could not be loaded: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}
