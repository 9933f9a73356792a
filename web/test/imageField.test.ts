import { describe, expect, it } from "vitest";
import { Problem } from "../src/api/client";
import { refusalOf, refusalOfProblem } from "../src/components/ImageField";

describe("an idea's image", () => {
  it("may be a PNG, JPEG, WebP or GIF of at most 2 MB", () => {
    for (const type of ["image/png", "image/jpeg", "image/webp", "image/gif"]) {
      expect(refusalOf({ type, size: 2 * 1024 * 1024 })).toBeNull();
    }
  });

  it("is refused before sending when the browser already knows it is too large or not an image", () => {
    expect(refusalOf({ type: "image/png", size: 2 * 1024 * 1024 + 1 })).toBe("image.tooLarge");
    expect(refusalOf({ type: "image/svg+xml", size: 10 })).toBe("image.wrongType");
    expect(refusalOf({ type: "", size: 10 })).toBe("image.wrongType");
  });

  it("turns the service's refusal into a message in the member's words", () => {
    expect(refusalOfProblem(new Problem(413, "Content Too Large", "the body is too large"))).toBe("image.tooLarge");
    expect(refusalOfProblem(new Problem(415, "Unsupported Media Type", "not an image"))).toBe("image.wrongType");
    expect(refusalOfProblem(new Problem(0, "Network error", undefined))).toBe("image.failed");
    expect(refusalOfProblem(new Error("boom"))).toBe("image.failed");
  });
});
