import { describe, expect, expectTypeOf, it } from "vitest";
import { EVENT_NAMES, METHOD_NAMES, methods, type EventName, type MethodName } from "../../shared/api.js";

// The preload allows exactly these names; a method or event added to the contract but not to the
// lists would be unreachable from the renderer.
describe("the contract's name lists", () => {
  it("name every method exactly once", () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(methods).sort());
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
    expectTypeOf<(typeof METHOD_NAMES)[number]>().toEqualTypeOf<MethodName>();
  });

  it("name every event exactly once", () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
    expectTypeOf<(typeof EVENT_NAMES)[number]>().toEqualTypeOf<EventName>();
  });
});
