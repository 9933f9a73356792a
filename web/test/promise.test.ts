import { describe, expect, it } from "vitest";
import { pageOf, type Waiting } from "../src/api/promise";
import { pageOf as inboxPageOf } from "../src/pages/Inbox";

const waiting = (kind: Waiting["kind"]) => ({ kind, item_id: "i 1", thread_id: "t 1" }) as Waiting;

describe("a post waiting for the team", () => {
  it("links to its idea, its question, or the member's private thread", () => {
    expect(pageOf(waiting("idea"))).toBe("/ideas/i%201");
    expect(pageOf(waiting("question"))).toBe("/questions/i%201");
    expect(pageOf(waiting("message"))).toBe("/private/t%201");
  });

  it("is announced in the team's inbox by an entry leading to the queue", () => {
    expect(inboxPageOf({ idea_id: "team:private-messages" })).toBe("/team/queue");
  });
});
