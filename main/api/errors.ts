import type { ApiError } from "../../shared/api.js";
import type { ApiErrorCode } from "../../shared/errors.js";
import { LibraryError } from "../library/errors.js";
import { LlmError } from "../llm/errors.js";

export type { ApiErrorCode };

/** An error of the API layer itself, with a message for the person using the app. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/**
 * The services' own errors keep their codes and messages (they are written for people); anything
 * else is a bug, whose details stay in main's log rather than in the renderer.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiFailure || error instanceof LibraryError || error instanceof LlmError) return { code: error.code, message: error.message };
  console.error(error);
  return { code: "INTERNAL", message: "Something went wrong inside Sourcebook." };
}
