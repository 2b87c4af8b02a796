import { describe, expect, it } from "vitest";
import { analyze, fold, queryTerms, termOf, tokenize } from "../../main/library/text/analyze.js";

describe("text analysis", () => {
  it("folds case, ё and Latin diacritics but keeps й", () => {
    expect(fold("ЁЛКА")).toBe("елка");
    expect(fold("Café")).toBe("cafe");
    expect(fold("Naïve")).toBe("naive");
    expect(fold("йогурт")).toBe("йогурт");
    // A stress mark in Russian text is not part of the word.
    expect(fold("за\u0301мок")).toBe("замок");
  });

  it("stems Russian and English with Snowball, so inflections meet", () => {
    expect(termOf("кошки")).toBe(termOf("кошка"));
    expect(termOf("подоконниках")).toBe(termOf("подоконнике"));
    expect(termOf("running")).toBe(termOf("runs"));
    expect(termOf("2015")).toBe("2015");
  });

  it("writes the index text as space-separated terms", () => {
    expect(analyze("Кошки любят спать; cats' naps!")).toBe(`${termOf("кошки")} ${termOf("любят")} ${termOf("спать")} cat nap`);
  });

  it("keeps offsets into the original text", () => {
    const text = "Ёжики  бегут";
    expect([...tokenize(text)].map((t) => text.slice(t.start, t.end))).toEqual(["Ёжики", "бегут"]);
  });

  it("limits and de-duplicates query terms", () => {
    expect(queryTerms("кошка кошки КОШКА", 10)).toEqual([termOf("кошка")]);
    expect(queryTerms("a b c d e f", 3)).toHaveLength(3);
  });
});
