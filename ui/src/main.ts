import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { reportUncaughtErrors } from "./lib/uiErrors";
import { zoomWithKeys } from "./lib/zoom";

// First, so an error while the app starts is logged too.
reportUncaughtErrors();
zoomWithKeys();

const target = document.getElementById("app");
if (!target) throw new Error("#app is missing from index.html");

export default mount(App, { target });
