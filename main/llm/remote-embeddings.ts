import type { Embedder, EmbeddingRole } from "../library/vectors/embedder.js";
import { embeddingProfile } from "./embedding-profile.js";
import { postJson, readJson, ServerAnswerError, type HttpLimits } from "./remote-http.js";

export interface EmbeddingsEndpoint {
  /** For example http://localhost:8000/v1 (vLLM), http://localhost:8080/v1 (llama.cpp), http://localhost:11434/v1 (Ollama). */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

/**
 * The endpoint's limits: a batch of 32 vectors of 4,096 dimensions as JSON is about 3 MB, and a
 * server embedding on a CPU takes a while for 32 long passages.
 */
export const EMBEDDING_HTTP_LIMITS: HttpLimits = { responseMs: 5 * 60_000, idleMs: 2 * 60_000, maxBodyBytes: 16 * 1024 * 1024 };

interface EmbeddingsResponse {
  data?: Array<{ index?: unknown; embedding?: unknown }>;
}

/**
 * Embeddings from an OpenAI-compatible /v1/embeddings route, with the chat endpoint's checks
 * (bounded waits and bodies, no redirect to another server). What comes back is checked too: one
 * vector of numbers per text, all of the same length.
 */
export class RemoteEmbedder implements Embedder {
  readonly kind = "remote";
  readonly location: string;
  private readonly profile;

  constructor(
    private readonly endpoint: EmbeddingsEndpoint,
    private readonly limits: HttpLimits = EMBEDDING_HTTP_LIMITS,
  ) {
    this.location = endpoint.baseUrl;
    this.profile = embeddingProfile(endpoint.model);
  }

  async name(): Promise<string> {
    return this.endpoint.model;
  }

  async embed(texts: readonly string[], role: EmbeddingRole, signal?: AbortSignal): Promise<Float32Array[]> {
    const prefix = role === "query" ? this.profile.query : this.profile.passage;
    const url = `${this.endpoint.baseUrl.replace(/\/+$/, "")}/embeddings`;
    const body = { model: this.endpoint.model, input: texts.map((t) => prefix + t), encoding_format: "float" };
    const response = await postJson(url, body, { apiKey: this.endpoint.apiKey, signal, limits: this.limits });
    const answer = (await readJson(response, this.limits, signal)) as EmbeddingsResponse;
    const data = Array.isArray(answer?.data) ? answer.data : undefined;
    if (!data || data.length !== texts.length) {
      throw new ServerAnswerError(`${url} answered ${data ? `${data.length} embeddings for ${texts.length} texts` : "without a data list of embeddings"}.`);
    }
    const vectors: Float32Array[] = new Array(texts.length);
    data.forEach((item, i) => {
      const at = typeof item?.index === "number" && Number.isInteger(item.index) ? item.index : i;
      const values = item?.embedding;
      if (at < 0 || at >= texts.length || vectors[at] || !Array.isArray(values) || !values.length || !values.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw new ServerAnswerError(`${url} answered an embedding that is not a list of numbers for each text (item ${i}).`);
      }
      vectors[at] = Float32Array.from(values as number[]);
    });
    if (vectors.some((v) => v.length !== vectors[0]!.length)) throw new ServerAnswerError(`${url} answered embeddings of different lengths in one batch.`);
    return vectors;
  }

  async close(): Promise<void> {}
}
