import { describe, expect, it } from "vitest";
import { parseOption } from "../src/pages/Campaigns";

describe("a campaign option written as one line of the staff form", () => {
  it("takes a name alone, with an id made from it", () => {
    expect(parseOption("Banques alimentaires", 0)).toEqual({
      id: "banques-alimentaires", name: "Banques alimentaires", description: "", link: null, idea_id: null, image_id: null,
    });
  });

  it("takes a description and an https link", () => {
    const option = parseOption("Literacy | Books for every child | https://example.org/literacy", 1);
    expect(option).toMatchObject({ name: "Literacy", description: "Books for every child", link: "https://example.org/literacy" });
    expect(option.idea_id).toBeNull();
  });

  it("reads an idea's page, relative or absolute, as the idea the option stands for", () => {
    expect(parseOption("Round-ups | | /ideas/abc123", 2)).toMatchObject({ idea_id: "abc123", link: null });
    expect(parseOption("Round-ups | | http://lab.example/ideas/abc123", 2)).toMatchObject({ idea_id: "abc123", link: null });
  });

  it("names an option without letters by its place", () => {
    expect(parseOption("¡¿!", 4).id).toBe("option-5");
  });
});

describe("an option's image", () => {
  it("is named by the address of an image the lab holds, relative or absolute, or by its id", () => {
    const id = "0123456789abcdef0123456789abcdef";
    for (const image of [`/api/ideas/images/${id}`, `https://lab.example/api/ideas/images/${id}`, id]) {
      expect(parseOption(`Shelters | | | ${image}`, 0).image_id).toBe(id);
    }
    expect(parseOption("Shelters | Beds for the night", 0).image_id).toBeNull();
  });
});
