import path from "node:path";
import type { z } from "zod";
import type { AskResult, SourceRef } from "../../shared/chat.js";
import { GPU_BACKENDS, type GpuBackend } from "../../shared/llm.js";
import { fileAndPlace, sourceLabel } from "../../shared/source-label.js";
import {
  contextSizeSchema,
  DEFAULT_REMOTE_CONTEXT,
  documentsPerQuestionSchema,
  maxAnswerTokensSchema,
  remoteContextSizeSchema,
  temperatureSchema,
  topKSchema,
  type Settings,
} from "../../shared/settings.js";
import { isWebUrl } from "../../shared/web-url.js";
import { checkGguf } from "../llm/gguf.js";
import { RemoteBackend, type RemoteEndpoint } from "../llm/remote.js";
import { DB_OPTION, JSON_OPTION, libraryExists, MODEL_SOURCE_OPTIONS, positiveInt, UsageError } from "./args.js";
import type { Command } from "./commands.js";
import { jsonLine, streamTo, terminalText } from "./terminal-text.js";

/** The name vLLM serves the model under in the model card's example. */
const DEFAULT_REMOTE_MODEL = "Vikhrmodels/Vikhr-Nemo-12B-Instruct-R-21-09-24";

/** A flag's value checked by the contract's own schema, so the CLI and the app accept the same values. */
function flag<T>(value: string | undefined, name: string, schema: z.ZodType<T>, what: string): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value === "auto" ? value : value.trim() === "" ? NaN : Number(value));
  if (!parsed.success) throw new UsageError(`${name} must be ${what}, not "${value}".`);
  return parsed.data;
}

function formatSource(ref: SourceRef, n: number): string {
  return `[${n}] ${terminalText(sourceLabel(ref))}\n    ${terminalText(fileAndPlace(ref))}`;
}

function formatEnd(result: AskResult): string {
  const omitted = result.omitted.length ? `\n${result.omitted.length} more matching passage(s) did not fit the model's context of ${result.context?.size} tokens.` : "";
  if (result.refused) {
    const answer = terminalText(result.answer);
    if (!result.candidates.length) return `${answer}\n`;
    return `${answer}\n\nClosest matches (not used):\n${result.candidates.map((c, i) => formatSource(c, i + 1)).join("\n")}${omitted}\n`;
  }
  const end = result.stopped ? "\n[stopped]" : result.truncated ? `\n[cut short: the answer reached its limit of ${result.context?.answerBudget} tokens]` : "";
  return `${end}\n\nSources:\n${result.citations.map((c, i) => formatSource(c, i + 1)).join("\n")}${omitted}\n`;
}

export const askCommand: Command = {
  usage:
    "sourcebook ask <question> [--model FILE.gguf | --endpoint URL [--api-key K] [--model-name N]]\n" +
    "       [--db FILE] [-k N] [--json] [--chat ID]\n" +
    "       [--gpu auto|cuda|vulkan|metal|cpu] [--gpu-layers auto|N] [--context-size auto|N] [--threads N]\n" +
    "       [--temperature T] [--top-k N] [--max-tokens N]\n" +
    "       Without --model or --endpoint, the model or endpoint chosen in the app; every other setting too.",
  options: {
    ...DB_OPTION,
    ...JSON_OPTION,
    ...MODEL_SOURCE_OPTIONS,
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
    const modelFlag = values.model as string | undefined;
    const endpointFlag = values.endpoint as string | undefined;
    if (modelFlag && endpointFlag) throw new UsageError("ask takes either --model FILE.gguf or --endpoint URL, not both.");
    if (endpointFlag && !isWebUrl(endpointFlag)) throw new UsageError(`--endpoint must be an http(s) URL, not "${endpointFlag}".`);
    const gpuFlag = values.gpu as string | undefined;
    if (gpuFlag !== undefined && !(GPU_BACKENDS as readonly string[]).includes(gpuFlag)) {
      throw new UsageError(`--gpu must be one of ${GPU_BACKENDS.join(", ")}, not "${gpuFlag}".`);
    }
    const layers = values["gpu-layers"] as string | undefined;
    const gpuLayers: "auto" | number = layers === undefined || layers === "auto" ? "auto" : positiveIntOrZero(layers, "--gpu-layers");
    const threads = values.threads === undefined ? undefined : positiveInt(values.threads as string, "--threads", 1);
    const conversationId = values.chat === undefined ? undefined : positiveInt(values.chat as string, "--chat", 0);
    const k = flag(values.k as string | undefined, "-k", documentsPerQuestionSchema, "a whole number from 1 to 20");
    const contextFlag = values["context-size"] as string | undefined;
    // Checked before anything is opened wherever the flags say which kind of model answers.
    if (endpointFlag) remoteContext(contextFlag);
    else if (modelFlag) localContext(contextFlag);
    const overrides = {
      temperature: flag(values.temperature as string | undefined, "--temperature", temperatureSchema, "a number from 0 to 2"),
      topK: flag(values["top-k"] as string | undefined, "--top-k", topKSchema, "a whole number from 1 to 200"),
      maxAnswerTokens: flag(values["max-tokens"] as string | undefined, "--max-tokens", maxAnswerTokensSchema, "a whole number from 1 to 16384"),
    };
    if (modelFlag) checkGguf(path.resolve(modelFlag));
    if (!modelFlag && !endpointFlag && !libraryExists(values.db as string | undefined)) {
      throw new UsageError("ask needs --model FILE.gguf or --endpoint URL: there is no library yet, so no model chosen in the app either.");
    }

    const { chat, models, settings: store } = open();
    const settings = store.get();
    const remote = endpointFlag || (!modelFlag && settings.remote?.enabled) ? remoteBackend(values, settings, contextFlag) : undefined;
    const modelPath = remote ? undefined : (modelFlag ?? settings.modelPath);
    if (!remote && !modelPath) throw new UsageError("ask needs --model FILE.gguf or --endpoint URL: no model is chosen in the app.");
    if (modelPath && !modelFlag) checkGguf(modelPath);
    const load = {
      modelPath: modelPath ?? "",
      gpu: (gpuFlag as GpuBackend | undefined) ?? settings.gpu,
      gpuLayers,
      contextSize: (remote ? undefined : localContext(contextFlag)) ?? settings.contextSize,
      threads,
    };

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
        settings: Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
        signal: controller.signal,
        prepare: remote ? undefined : prepare,
        onTextChunk: values.json ? undefined : streamTo(io.stdout),
      });
      io.stdout.write(values.json ? `${jsonLine({ conversationId: chatId, ...result })}\n` : formatEnd(result));
    } finally {
      process.off("SIGINT", stop);
    }
    return 0;
  },
};

function positiveIntOrZero(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be "auto" or a whole number, not "${value}".`);
  return n;
}

/**
 * The endpoint named by the flags, else the one chosen in the app. The key comes from --api-key or
 * SOURCEBOOK_API_KEY only: the app keeps its own key where only the app can read it.
 */
function remoteBackend(values: Record<string, unknown>, settings: Settings, contextFlag: string | undefined): RemoteBackend {
  const fromApp = values.endpoint === undefined ? settings.remote : null;
  const endpoint: RemoteEndpoint = {
    baseUrl: (values.endpoint as string | undefined) ?? fromApp!.baseUrl,
    model: (values["model-name"] as string | undefined) ?? fromApp?.model ?? DEFAULT_REMOTE_MODEL,
    apiKey: (values["api-key"] as string | undefined) ?? process.env.SOURCEBOOK_API_KEY,
    contextSize: remoteContext(contextFlag) ?? fromApp?.contextSize ?? DEFAULT_REMOTE_CONTEXT,
  };
  return new RemoteBackend(endpoint);
}

function localContext(value: string | undefined): Settings["contextSize"] | undefined {
  return flag(value, "--context-size", contextSizeSchema, '"auto" or a whole number from 512 to 131072');
}

/** A server's context is its own setting (vLLM's --max-model-len, llama.cpp's --ctx-size): only a number says it. */
function remoteContext(value: string | undefined): number | undefined {
  return flag(value, "--context-size", remoteContextSizeSchema, "the endpoint's context in tokens, a whole number from 512 to 1048576");
}
