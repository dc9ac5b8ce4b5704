import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";

afterEach(() => clearMocks());

describe("App shell", () => {
  it("shows the product name and the version Rust reports", async () => {
    mockIPC((cmd) => (cmd === "app_info" ? { name: "Push3 Desk", version: "9.9.9" } : null));
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Push3 Desk");
    expect(await screen.findByText("v9.9.9")).toBeTruthy();
  });

  it("shows the Rust validation message for a bad meter address", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "app_info") return { name: "Push3 Desk", version: "0.1.0" };
      if (cmd === "check_meter_address") {
        expect(args).toEqual({ input: "12x" });
        throw { code: "invalid", message: "target_id: \"12x\" is not allowed", field: "target_id" };
      }
    });
    render(App);
    await fireEvent.input(screen.getByLabelText(/Meter number/), { target: { value: "12x" } });
    await fireEvent.click(screen.getByRole("button", { name: "Check" }));
    expect((await screen.findByRole("alert")).textContent).toContain("is not allowed");
  });
});
