import { describe, expect, it } from "vitest";
import { EVENT_NAMES, METHOD_NAMES, methods } from "../../shared/api.js";

// The contract's types come from these lists, so the compiler keeps methods and events to them; what
// it cannot see is a name listed twice, or a method object that gained a key at run time.
describe("the contract's name lists", () => {
  it("name every method exactly once", () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(methods).sort());
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
  });

  it("name every event exactly once", () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
  });
});
