import { h, render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Problem } from "../src/api/client";
import { Pending, type LoadState } from "../src/components/ui";

const root = document.createElement("div");
const show = (load: LoadState) => {
  render(h(Pending, { load }), root);
  return root;
};

afterEach(() => render(null, root));

describe("what stands for a page's data until it comes", () => {
  it("is the wait while the first answer is on its way", () => {
    const shown = show({ loading: true, reload: () => undefined });
    expect(shown.querySelector("[role=status]")?.textContent).toBe("Loading…");
  });

  it("is the failure, with a retry that asks again", () => {
    const reload = vi.fn();
    const shown = show({ error: new Problem(503, "Service Unavailable", "try later"), loading: false, reload });
    expect(shown.querySelector("[role=alert] p")?.textContent).toBe("try later");
    shown.querySelector("button")!.click();
    expect(reload).toHaveBeenCalledOnce();
  });

  it("is nothing once the data came, even while a reload asks again", () => {
    expect(show({ data: { ideas: [] }, loading: false, reload: () => undefined }).innerHTML).toBe("");
    expect(show({ data: { ideas: [] }, loading: true, reload: () => undefined }).innerHTML).toBe("");
  });
});
