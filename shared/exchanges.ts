// A conversation's one shape: questions and answers alternate, each answer right after its question.
// Storage, import and transcripts all hold to it, so it is written once.

interface Message {
  role: "user" | "assistant";
  /** Null for a question; an answer's record for an answer. */
  answer: unknown;
}

/** Where messages break the shape, each with what was expected there; none when they keep it. */
export function pairingProblems(messages: readonly Message[]): Array<{ index: number | null; message: string }> {
  const problems: Array<{ index: number | null; message: string }> = [];
  if (messages.length % 2) problems.push({ index: null, message: "the last question has no answer" });
  messages.forEach((m, index) => {
    const question = index % 2 === 0;
    if (question && (m.role !== "user" || m.answer !== null)) problems.push({ index, message: "expected a question (role user, answer null)" });
    if (!question && (m.role !== "assistant" || m.answer === null)) problems.push({ index, message: "expected an answer (role assistant, with its answer)" });
  });
  return problems;
}

/** Each question with its answer, in order. */
export function exchanges<M>(messages: readonly M[]): Array<{ question: M; answer: M }> {
  const pairs: Array<{ question: M; answer: M }> = [];
  for (let i = 0; i + 1 < messages.length; i += 2) pairs.push({ question: messages[i]!, answer: messages[i + 1]! });
  return pairs;
}
