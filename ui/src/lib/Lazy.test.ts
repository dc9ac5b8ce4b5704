import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import Lazy from "./Lazy.svelte";
import { LazyComponent } from "./lazy.svelte";
import Echo from "../test/Echo.svelte";

type EchoProps = { text: string };

describe("Lazy", () => {
  it("fetches a component's code once, when first shown, then renders it with its props", async () => {
    const load = vi.fn(async () => ({ default: Echo }));
    const echo = new LazyComponent<EchoProps>(load);
    expect(load).not.toHaveBeenCalled();

    render(Lazy<EchoProps>, { props: { of: echo, props: { text: "one" } } });
    render(Lazy<EchoProps>, { props: { of: echo, props: { text: "two" } } });
    expect(await screen.findByText("one")).toBeTruthy();
    expect(screen.getByText("two")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("says what could not be loaded rather than showing nothing", async () => {
    const broken = new LazyComponent<EchoProps>(() => Promise.reject(new Error("chunk missing")));
    render(Lazy<EchoProps>, { props: { of: broken, props: { text: "one" } } });
    expect((await screen.findByRole("alert")).textContent).toBe("This part of the app could not be loaded: chunk missing");
  });
});
