import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  debounce, findingPath, joinPages, listQuery, nextStart, parseTags, readFinding, worthSuggesting,
} from "../src/components/discovery";
import { ideaIdFrom } from "../src/components/Merge";

const read = (query: string) => readFinding(new URLSearchParams(query));

describe("readFinding", () => {
  it("orders a list by newest and a search by relevance unless told otherwise", () => {
    expect(read("").sort).toBe("newest");
    expect(read("q=%C3%A9pargne").sort).toBe("relevance");
    expect(read("q=epargne&sort=trending").sort).toBe("trending");
  });

  it("refuses what the API does not know: relevance without words, an unknown order or status", () => {
    expect(read("sort=relevance").sort).toBe("newest");
    expect(read("sort=loudest").sort).toBe("newest");
    expect(read("status=lost").status).toBe("");
    expect(read("status=planned&category=cards&tag=%20Mobile")).toMatchObject({ status: "planned", category: "cards", tag: "mobile" });
  });
});

describe("findingPath", () => {
  it("writes only what differs from the defaults, and reads back the same finding", () => {
    expect(findingPath(read(""))).toBe("/");
    expect(findingPath(read("q=epargne&sort=relevance"))).toBe("/?q=epargne");
    const path = findingPath(read("q=carte bleue&sort=trending&tag=cards&status=open"));
    expect(path).toBe("/?q=carte+bleue&sort=trending&status=open&tag=cards");
    expect(read(path.slice(2))).toEqual(read("q=carte bleue&sort=trending&tag=cards&status=open"));
  });

  it("drops relevance when the words are cleared", () => {
    expect(findingPath({ ...read("q=x"), q: "" })).toBe("/");
  });
});

describe("listQuery", () => {
  it("asks the API for the words, order, filters and the page's start", () => {
    const finding = read("q=épargne&category=savings");
    expect(listQuery(finding, 20)).toBe("q=%C3%A9pargne&sort=relevance&category=savings&limit=20");
    expect(listQuery(read("sort=trending"), 20, { after: "WyJ4Il0=" })).toBe("sort=trending&limit=20&after=WyJ4Il0%3D");
    expect(listQuery(finding, 20, { offset: 40 })).toContain("&offset=40");
    expect(listQuery(finding, 20, { offset: 0 })).not.toContain("offset");
  });
});

describe("nextStart", () => {
  it("follows the list's cursor, and goes on by offset in a search while pages are full", () => {
    expect(nextStart(false, "abc", 20, 20, 20)).toEqual({ after: "abc" });
    expect(nextStart(false, null, 20, 20, 20)).toBeNull();
    expect(nextStart(true, null, 20, 20, 40)).toEqual({ offset: 40 });
    expect(nextStart(true, null, 7, 20, 27)).toBeNull();
  });
});

describe("joinPages", () => {
  it("shows each idea once, where first seen", () => {
    const a = { id: "a", n: 1 }, b = { id: "b", n: 2 }, moved = { id: "a", n: 3 };
    expect(joinPages([a, b], [moved, { id: "c", n: 4 }]).map((i) => i.id)).toEqual(["a", "b", "c"]);
    expect(joinPages([a, b], [moved])[0].n).toBe(1);
  });
});

describe("parseTags", () => {
  it("splits on commas and spaces, lower-cases, keeps each once and at most five", () => {
    expect(parseTags(" Mobile, savings  app,#mobile ")).toEqual({ tags: ["mobile", "savings", "app"], invalid: [] });
    expect(parseTags("a b c d e f g").tags).toEqual(["a", "b", "c", "d", "e"]);
    expect(parseTags("épargne").tags).toEqual(["épargne"]);
  });

  it("names the words the API would refuse", () => {
    expect(parseTags("ok -bad what?").invalid).toEqual(["-bad", "what?"]);
    expect(parseTags("x".repeat(31)).invalid).toHaveLength(1);
  });
});

describe("worthSuggesting", () => {
  it("waits for a few letters", () => {
    expect(worthSuggesting("ab ")).toBe(false);
    expect(worthSuggesting("  a-b-c ")).toBe(false);
    expect(worthSuggesting("card")).toBe(true);
  });
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once with the last value after the typing pauses, and not at all when cancelled", () => {
    const run = vi.fn();
    const asker = debounce(run, 300);
    asker.push("ca");
    vi.advanceTimersByTime(200);
    asker.push("card");
    vi.advanceTimersByTime(299);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledExactlyOnceWith("card");
    asker.push("cards");
    asker.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe("ideaIdFrom", () => {
  it("reads an idea's id from its address or as it is", () => {
    expect(ideaIdFrom(" http://127.0.0.1:8080/ideas/abc123?x=1 ")).toBe("abc123");
    expect(ideaIdFrom("/ideas/abc123")).toBe("abc123");
    expect(ideaIdFrom("abc123")).toBe("abc123");
  });
});
