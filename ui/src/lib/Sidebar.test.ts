import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import Sidebar from "./Sidebar.svelte";
import { siteA } from "../test/fakeBackend";
import type { Meter } from "./ipc";

const many: Meter[] = Array.from({ length: 250 }, (_, i) => ({
  address: String(350_000_000 + i).padStart(12, "0"),
  nickname: `Meter ${i}`,
  version: "V4",
  gatewayId: siteA.id,
  tags: [],
  hasPassword: false,
}));

const shown = () => document.querySelectorAll("[data-address]").length;

function renderSidebar() {
  render(Sidebar, {
    gateways: [siteA],
    meters: many,
    selected: null,
    onselect: () => {},
    onaddgateway: () => {},
    onaddmeter: () => {},
    oneditgateway: () => {},
  });
}

describe("Sidebar with a large site", () => {
  it("shows the first 200 meters of a gateway, says how many more, and shows all on request", async () => {
    renderSidebar();
    expect(shown()).toBe(200);
    expect(document.querySelector(`[data-more-for="${siteA.id}"]`)!.textContent).toContain("50 more");
    await fireEvent.click(screen.getByRole("button", { name: "show all 250" }));
    expect(shown()).toBe(250);
    expect(document.querySelector("[data-more-for]")).toBeNull();
  });

  it("finds a meter beyond the first 200 by search", async () => {
    renderSidebar();
    await fireEvent.input(screen.getByLabelText("Search meters"), { target: { value: "Meter 249" } });
    expect(shown()).toBe(1);
    expect(screen.getByText("Meter 249")).toBeTruthy();
  });
});
