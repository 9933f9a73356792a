import { describe, expect, it } from "vitest";
import { flagPath, mentionParts, pageOf, REASONS, type Report } from "../src/api/moderation";

describe("mentions in a comment", () => {
  it("marks each @name and leaves the rest as written", () => {
    expect(mentionParts("Thanks @AliceMartin, and @Élodie-DArc.")).toEqual([
      { text: "Thanks ", mention: false },
      { text: "@AliceMartin", mention: true },
      { text: ", and ", mention: false },
      { text: "@Élodie-DArc", mention: true },
      { text: ".", mention: false },
    ]);
  });

  it("does not take an email address or a lone @ for a mention", () => {
    expect(mentionParts("write to mail@example.com @ noon")).toEqual([
      { text: "write to mail@example.com @ noon", mention: false },
    ]);
  });
});

describe("flags", () => {
  it("offers the closed list of reasons, criticism not among them", () => {
    expect(REASONS).toEqual(["abuse", "personal_data", "spam", "off_topic", "illegal"]);
  });

  it("sends each kind's flag to its item and leads moderators to it", () => {
    expect(flagPath("comment", "c 1", "i1")).toBe("/api/ideas/i1/comments/c%201/flags");
    expect(flagPath("question", "q1")).toBe("/api/ideas/questions/q1/flags");
    const report = { kind: "comment", item_id: "c1", idea_id: "i1" } as Report;
    expect(pageOf(report)).toBe("/ideas/i1#comment-c1");
  });
});
