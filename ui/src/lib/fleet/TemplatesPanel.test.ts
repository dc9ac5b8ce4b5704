import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import FleetView from "./FleetView.svelte";
import { FleetSession } from "./session.svelte";
import { IPC_ERRORS, demoGateway, limits } from "../../test/fakeBackend";
import { fiveDemoMeters, fleetBackend, lcdTemplate, rustError, settingsTemplate, type FleetHandlers } from "../../test/fleetBackend";
import { appear, byId } from "../../test/queries";

afterEach(() => clearMocks());

async function openFleet(handlers: FleetHandlers = {}) {
  const backend = fleetBackend({ templates: [lcdTemplate], handlers });
  render(FleetView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, session: new FleetSession() });
  await screen.findByText("Office display");
  return backend;
}

const listed = () => [...document.querySelectorAll<HTMLElement>("#template-list [data-template]")].map((li) => li.dataset.template);

describe("Templates", () => {
  it("a template saved elsewhere (the CLI, another window) appears when the store says so", async () => {
    const templates = [lcdTemplate];
    fleetBackend({ handlers: { list_templates: () => [...templates] } });
    const view = render(FleetView, { gateways: [demoGateway], meters: fiveDemoMeters, limits, session: new FleetSession(), templatesRevision: 0 });
    await screen.findByText("Office display");
    templates.push(settingsTemplate);
    await view.rerender({ gateways: [demoGateway], meters: fiveDemoMeters, limits, session: new FleetSession(), templatesRevision: 1 });
    await waitFor(() => expect(listed()).toEqual(["Office display", settingsTemplate.name]));
  });

  it("lists each template with its kind", async () => {
    await openFleet();
    const item = document.querySelector<HTMLElement>('[data-template="Office display"]')!;
    expect(item.dataset.kind).toBe("lcd");
    expect(item.textContent).toContain("Display");
  });

  it("an invalid file shows Rust's error naming the first bad field, and nothing changes", async () => {
    const backend = await openFleet({
      import_template: () => rustError("template_file_tariff_7"),
    });
    await fireEvent.click(byId("template-import"));
    const error = await appear("template-error");
    expect(error.textContent).toBe(`${IPC_ERRORS.template_file_tariff_7.message} Nothing was imported.`);
    expect(error.getAttribute("role")).toBe("alert");
    expect(backend.callsOf("list_templates")).toHaveLength(1);
    expect(listed()).toEqual(["Office display"]);
  });

  it("a foreign file's error names its field", async () => {
    await openFleet({
      import_template: () => rustError("template_file_foreign"),
    });
    await fireEvent.click(byId("template-import"));
    expect((await appear("template-error")).textContent).toContain(IPC_ERRORS.template_file_foreign.message);
    expect(IPC_ERRORS.template_file_foreign.message).toMatch(/^schema: /);
  });

  it("a cancelled dialog changes nothing and says nothing", async () => {
    const backend = await openFleet({ import_template: () => null });
    await fireEvent.click(byId("template-import"));
    await waitFor(() => expect(backend.callsOf("import_template")).toHaveLength(1));
    expect(byId("template-error")).toBeNull();
    expect(byId("template-status")).toBeNull();
    expect(backend.callsOf("list_templates")).toHaveLength(1);
  });

  it("an imported template joins the list", async () => {
    const templates = [lcdTemplate];
    const backend = await openFleet({
      import_template: () => {
        templates.push(settingsTemplate);
        return settingsTemplate;
      },
      list_templates: () => [...templates],
    });
    await fireEvent.click(byId("template-import"));
    expect((await appear("template-status")).textContent).toContain("Imported the Settings template “CT 200”");
    expect(listed()).toEqual(["Office display", "CT 200"]);
    expect(backend.callsOf("list_templates")).toHaveLength(2);
  });

  it("exports through Rust's file dialog and removes only after a confirmation", async () => {
    const templates = [lcdTemplate];
    const backend = await openFleet({
      export_template: () => "/home/me/office-display.json",
      show_in_folder: () => null,
      remove_template: () => {
        templates.pop();
        return null;
      },
      list_templates: () => [...templates],
    });
    await fireEvent.click(screen.getByRole("button", { name: "Export Office display…" }));
    const saved = await appear("template-exported");
    expect(saved.textContent).toContain("Exported “Office display” to /home/me/office-display.json");
    expect(backend.callsOf("export_template")).toEqual([{ name: "Office display" }]);
    await fireEvent.click(within(saved).getByRole("button", { name: "Show in folder" }));
    expect(backend.callsOf("show_in_folder")).toEqual([{ path: "/home/me/office-display.json" }]);

    await fireEvent.click(screen.getByRole("button", { name: "Remove Office display…" }));
    expect(backend.callsOf("remove_template")).toEqual([]);
    expect(screen.getByRole("alertdialog").textContent).toContain("Remove the template “Office display”?");
    await fireEvent.click(byId("template-remove-confirm"));
    expect(backend.callsOf("remove_template")).toEqual([{ name: "Office display" }]);
    await appear("template-none");
  });
});
