import { answerGrounded } from "./grounded.js";
import type { ModelHost } from "./host.js";
import type { GroundedBackend, GroundedOutcome, GroundedRequest } from "./protocol.js";

/** The grounded protocol on the local model, queued behind the host's loads and other answers. */
export class LocalBackend implements GroundedBackend {
  constructor(private readonly host: ModelHost) {}

  answer(request: GroundedRequest): Promise<GroundedOutcome> {
    return this.host.run((session) => answerGrounded(session, request));
  }

  modelName(): string | null {
    return this.host.modelName();
  }
}
