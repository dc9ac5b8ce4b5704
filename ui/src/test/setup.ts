import { configure } from "@testing-library/svelte";
import { afterEach } from "vitest";
import { drafts } from "../lib/drafts.svelte";

// One module instance of the drafts serves every test of a file: each test starts a new window.
afterEach(() => drafts.reset());

// The app fetches its views and dialogs when first opened (lib/lazy.svelte.ts). Under Vitest the
// first fetch of a view compiles it and everything it imports, which can take over the default
// 1 s of findBy*/waitFor on a busy machine.
configure({ asyncUtilTimeout: 5000 });

// jsdom has <dialog> but not its modal methods; these do what the tests rely on: open sets
// the `open` attribute, close clears it and fires "close" as a browser does.
if (typeof HTMLDialogElement !== "undefined" && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.open = false;
    this.dispatchEvent(new Event("close"));
  };
}
