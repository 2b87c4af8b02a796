import { describe, expect, it } from "vitest";
import { exchanges, pairingProblems } from "../../shared/exchanges.js";
import { sourceLabel } from "../../shared/source-label.js";
import { isWebUrl } from "../../shared/web-url.js";

describe("the web-link check every door uses", () => {
  it("takes http(s) with a host and nothing else", () => {
    for (const url of ["http://localhost:8080/v1", "https://example.com/a?b#c", "HTTPS://EXAMPLE.COM", "http://127.0.0.1:9/v1", "http://[::1]:8000/v1"]) expect(isWebUrl(url), url).toBe(true);
    for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "file:///etc/passwd", "data:text/html,x", "app://sourcebook/index.html", "//example.com", "http:/", "https://", "ftp://x", "", null, undefined, "not a url", " http://x", "ht\ntp://x", "http://exa\tmple.com"]) {
      expect(isWebUrl(url as string), String(url)).toBe(false);
    }
  });
});

describe("title › heading", () => {
  it("says the title once, whether or not the heading path starts with it", () => {
    expect(sourceLabel({ title: "Cats", heading: "" })).toBe("Cats");
    expect(sourceLabel({ title: "Cats", heading: "Cats" })).toBe("Cats");
    expect(sourceLabel({ title: "Cats", heading: "Cats › Sleep" })).toBe("Cats › Sleep");
    expect(sourceLabel({ title: "Cats", heading: "Sleep" })).toBe("Cats › Sleep");
    expect(sourceLabel({ title: "Cats", heading: "Catsup › Recipes" })).toBe("Cats › Catsup › Recipes");
  });
});

describe("the question/answer pairing rule", () => {
  const q = { role: "user" as const, answer: null };
  const a = { role: "assistant" as const, answer: {} };
  it("accepts alternating questions and answers, and names each break", () => {
    expect(pairingProblems([q, a, q, a])).toEqual([]);
    expect(pairingProblems([q])).toEqual([{ index: null, message: "the last question has no answer" }]);
    expect(pairingProblems([a, q]).map((p) => p.index)).toEqual([0, 1]);
    expect(pairingProblems([q, { role: "assistant", answer: null }]).map((p) => p.index)).toEqual([1]);
    expect(exchanges(["q1", "a1", "q2", "a2", "q3"])).toEqual([{ question: "q1", answer: "a1" }, { question: "q2", answer: "a2" }]);
  });
});
