import { describe, expect, it } from "vitest";
import { pageOf } from "../src/pages/Inbox";

describe("an inbox entry's link", () => {
  it("goes to the idea whose status changed", () => {
    expect(pageOf({ idea_id: "a b" })).toBe("/ideas/a%20b");
  });

  it("goes to the campaign page for a campaign's result", () => {
    expect(pageOf({ idea_id: "campaign:c-1" })).toBe("/campaigns/c-1");
  });

  it("goes to the initiative page for an initiative announced or moved", () => {
    expect(pageOf({ idea_id: "initiative:initiative-1" })).toBe("/initiatives/initiative-1");
  });

  it("goes to the webhooks page for an endpoint turned off for failing", () => {
    expect(pageOf({ idea_id: "webhook:ep_0123" })).toBe("/staff/webhooks");
  });
});
