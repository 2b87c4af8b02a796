import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/e2e/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits on a page or a background job, which on a loaded 2-core machine can take
    // longer than its default second.
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
  },
});
