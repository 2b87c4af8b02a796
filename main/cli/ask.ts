import type { AskResult, SourceRef } from "../../shared/chat.js";
import { GPU_BACKENDS, type GpuBackend } from "../../shared/llm.js";
import path from "node:path";
import { DEFAULT_DOCUMENTS_PER_QUESTION } from "../chat/answer.js";
import { checkGguf } from "../llm/host.js";
import { RemoteBackend } from "../llm/remote.js";

/** The name vLLM serves the model under in the model card's example. */
const DEFAULT_REMOTE_MODEL = "Vikhrmodels/Vikhr-Nemo-12B-Instruct-R-21-09-24";
import { DB_OPTION, JSON_OPTION, positiveInt, UsageError } from "./args.js";
import type { Command } from "./commands.js";
import { streamTo, terminalText } from "./terminal-text.js";

function number(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number from ${min} to ${max}, not "${value}".`);
  return n;
}

function formatSource(ref: SourceRef, n: number): string {
  const heading = ref.heading && ref.heading !== ref.title ? ` › ${ref.heading}` : "";
  return `[${n}] ${terminalText(`${ref.title}${heading}`)}\n    ${terminalText(ref.path)}:${ref.lineStart}-${ref.lineEnd}`;
}

function formatEnd(result: AskResult): string {
  if (result.refused) {
    const answer = terminalText(result.answer);
    if (!result.candidates.length) return `${answer}\n`;
    return `${answer}\n\nClosest matches (not used):\n${result.candidates.map((c, i) => formatSource(c, i + 1)).join("\n")}\n`;
  }
  return `${result.stopped ? "\n[stopped]" : ""}\n\nSources:\n${result.citations.map((c, i) => formatSource(c, i + 1)).join("\n")}\n`;
}

export const askCommand: Command = {
  usage:
    "sourcebook ask <question> (--model FILE.gguf | --endpoint URL [--api-key K] [--model-name N])\n" +
    "       [--db FILE] [-k N] [--json] [--chat ID]\n" +
    "       [--gpu auto|cuda|vulkan|metal|cpu] [--gpu-layers auto|N] [--context-size N] [--threads N]\n" +
    "       [--temperature T] [--top-k N] [--max-tokens N]",
  options: {
    ...DB_OPTION,
    ...JSON_OPTION,
    model: { type: "string" },
    endpoint: { type: "string" },
    "api-key": { type: "string" },
    "model-name": { type: "string" },
    chat: { type: "string" },
    k: { type: "string", short: "k" },
    gpu: { type: "string" },
    "gpu-layers": { type: "string" },
    "context-size": { type: "string" },
    threads: { type: "string" },
    temperature: { type: "string" },
    "top-k": { type: "string" },
    "max-tokens": { type: "string" },
  },
  async run({ values, positionals }, io, open) {
    const question = positionals.join(" ");
    if (!question.trim()) throw new UsageError("ask needs a question.");
    const modelPath = values.model as string | undefined;
    const endpoint = values.endpoint as string | undefined;
    if (!modelPath === !endpoint) throw new UsageError("ask needs either --model FILE.gguf or --endpoint URL.");
    if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) throw new UsageError(`--endpoint must be an http(s) URL, not "${endpoint}".`);
    const gpu = (values.gpu as string | undefined) ?? "auto";
    if (!(GPU_BACKENDS as readonly string[]).includes(gpu)) throw new UsageError(`--gpu must be one of ${GPU_BACKENDS.join(", ")}, not "${gpu}".`);
    const layers = values["gpu-layers"] as string | undefined;
    const gpuLayers: "auto" | number | undefined = layers === undefined || layers === "auto" ? "auto" : number(layers, "--gpu-layers", 0, 10_000);
    const k = positiveInt(values.k as string | undefined, "-k", DEFAULT_DOCUMENTS_PER_QUESTION);
    const conversationId = values.chat === undefined ? undefined : positiveInt(values.chat as string, "--chat", 0);
    if (k > 20) throw new UsageError(`-k must be at most 20, not ${k}.`);
    const settings = {
      temperature: number(values.temperature as string | undefined, "--temperature", 0, 2),
      topK: number(values["top-k"] as string | undefined, "--top-k", 1, 1000),
      maxAnswerTokens: number(values["max-tokens"] as string | undefined, "--max-tokens", 1, 100_000),
    };
    const load = {
      modelPath: modelPath ?? "",
      gpu: gpu as GpuBackend,
      gpuLayers,
      contextSize: number(values["context-size"] as string | undefined, "--context-size", 256, 1_048_576),
      threads: number(values.threads as string | undefined, "--threads", 1, 1024),
    };

    if (modelPath) checkGguf(path.resolve(modelPath));
    const { chat, models } = open();
    const remote = endpoint
      ? new RemoteBackend({
          baseUrl: endpoint,
          apiKey: (values["api-key"] as string | undefined) ?? process.env.SOURCEBOOK_API_KEY,
          model: (values["model-name"] as string | undefined) ?? DEFAULT_REMOTE_MODEL,
        })
      : undefined;
    const showProgress = io.stderr.isTTY && !values.json;
    // Loaded only once retrieval found something: a refusal for lack of notes needs no model.
    const prepare = async () => {
      const off = models.onStatus((s) => {
        if (showProgress && s.state === "loading") io.stderr.write(`\r\x1b[KLoading model… ${Math.round((s.loadProgress ?? 0) * 100)}%`);
      });
      try {
        await models.load(load);
      } finally {
        off();
        if (showProgress) io.stderr.write("\r\x1b[K");
      }
    };

    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      const { conversationId: chatId, result } = await chat.ask(question, {
        conversationId,
        backend: remote,
        k,
        settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
        signal: controller.signal,
        prepare: remote ? undefined : prepare,
        onTextChunk: values.json ? undefined : streamTo(io.stdout),
      });
      io.stdout.write(values.json ? `${JSON.stringify({ conversationId: chatId, ...result })}\n` : formatEnd(result));
    } finally {
      process.off("SIGINT", stop);
    }
    return 0;
  },
};
