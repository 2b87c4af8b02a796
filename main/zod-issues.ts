import type { z } from "zod";

/**
 * Zod's issues as one line a person can read: "contextSize: Too small: expected number to be >=512".
 * A damaged file can hold thousands of issues; past `most`, only their number is said.
 */
export function describeIssues(error: z.ZodError, most = Infinity): string {
  const described = error.issues.slice(0, most).map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
  const more = error.issues.length - described.length;
  return described.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}
