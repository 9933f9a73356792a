import { describe, expect, it } from "vitest";
import { fragment, match, safeNext } from "../src/router";

describe("match", () => {
  it("names the variable parts of a path", () => {
    expect(match("/ideas/:id", "/ideas/abc%20d")).toEqual({ id: "abc d" });
    expect(match("/ideas/:id", "/ideas/abc/")).toEqual({ id: "abc" });
  });

  it("refuses paths of another shape", () => {
    expect(match("/ideas/:id", "/ideas")).toBeNull();
    expect(match("/ideas/:id", "/ideas/a/b")).toBeNull();
    expect(match("/roadmap", "/roadmaps")).toBeNull();
    expect(match("/", "/roadmap")).toBeNull();
    expect(match("/", "/")).toEqual({});
  });
});

describe("fragment", () => {
  it("reads the parameters mail links and identity providers put after #", () => {
    const params = fragment("#access_token=a.b.c&refresh_token=r%2B1&expires_in=900");
    expect(params.get("access_token")).toBe("a.b.c");
    expect(params.get("refresh_token")).toBe("r+1");
  });
});

describe("safeNext", () => {
  it("keeps a path of this site", () => {
    expect(safeNext("/ideas/1?x=2#y")).toBe("/ideas/1?x=2#y");
  });

  it("refuses anything that would leave the site or land on an API", () => {
    for (const away of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/api/accounts/me", "", null]) {
      expect(safeNext(away)).toBe("/");
    }
  });
});
