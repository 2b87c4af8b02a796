/**
 * What an embedding model's card prescribes around the text: the prefixes that tell a query from a
 * passage. Pooling is the GGUF's own (`{arch}.pooling_type`, which llama.cpp applies), and every
 * vector is L2-normalized afterwards, as these cards' cosine similarity assumes. A model not named
 * here gets no prefix: the right default for symmetric models such as bge-m3 and gte.
 */
export interface EmbeddingProfile {
  query: string;
  passage: string;
}

const RETRIEVE = "Given a web search query, retrieve relevant passages that answer the query";

const PROFILES: Array<[RegExp, EmbeddingProfile]> = [
  // multilingual-e5-*-instruct: an instruction on the query side only.
  [/e5.*instruct/i, { query: `Instruct: ${RETRIEVE}\nQuery: `, passage: "" }],
  // intfloat/multilingual-e5-*, e5-*-v2: "Use 'query: ' and 'passage: ' correspondingly for asymmetric tasks".
  [/(^|[^a-z])e5([^a-z]|$)/i, { query: "query: ", passage: "passage: " }],
  [/qwen3.?embedding/i, { query: `Instruct: ${RETRIEVE}\nQuery:`, passage: "" }],
  [/nomic.?embed/i, { query: "search_query: ", passage: "search_document: " }],
  [/embeddinggemma/i, { query: "task: search result | query: ", passage: "title: none | text: " }],
  // English bge v1.5, mxbai and arctic-embed ask for this instruction before a retrieval query.
  [/bge-(small|base|large)-en|mxbai-embed|arctic-embed/i, { query: "Represent this sentence for searching relevant passages: ", passage: "" }],
];

/** The profile for a model known by its name or file name. */
export function embeddingProfile(...names: string[]): EmbeddingProfile {
  for (const name of names) for (const [pattern, profile] of PROFILES) if (pattern.test(name)) return profile;
  return { query: "", passage: "" };
}
