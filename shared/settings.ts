// The person's settings: their schema, ranges and defaults, in one place for the app, the CLI and
// main's services. Every default the answer path uses is read from here.
import { z } from "zod";
import { GPU_BACKENDS } from "./llm.js";
import { isWebUrl } from "./web-url.js";

export const UI_LANGUAGES = ["auto", "en", "ru"] as const;
export const THEMES = ["system", "light", "dark"] as const;

/**
 * "auto" lets node-llama-cpp choose the largest context between these that fits in the memory
 * left after the model: Vikhr's card serves 32k (the model trained on 128k), and below 8k six
 * documents, the question and a long answer no longer fit.
 */
export const AUTO_CONTEXT = { min: 8192, max: 32768 } as const;
export const CONTEXT_SIZE_RANGE = { min: 512, max: 131072 } as const;

export const contextSizeSchema = z.union([z.literal("auto"), z.number().int().min(CONTEXT_SIZE_RANGE.min).max(CONTEXT_SIZE_RANGE.max)]);
export type ContextSizeSetting = z.infer<typeof contextSizeSchema>;

export const temperatureSchema = z.number().min(0).max(2);
export const topKSchema = z.number().int().min(1).max(200);
export const documentsPerQuestionSchema = z.number().int().min(1).max(20);
export const maxAnswerTokensSchema = z.number().int().min(1).max(16384);
/** A remote server's context: the endpoint's own limit (vLLM's max_model_len, llama.cpp's n_ctx). */
export const remoteContextSizeSchema = z.number().int().min(CONTEXT_SIZE_RANGE.min).max(1_048_576);
/** An endpoint's context until the person says otherwise: what servers commonly start with. */
export const DEFAULT_REMOTE_CONTEXT = 8192;

/** An OpenAI-compatible endpoint as stored. Its API key is kept apart, as a secret only main reads. */
export const remoteSettingsSchema = z
  .object({
    enabled: z.boolean(),
    baseUrl: z.string().max(2048).refine(isWebUrl, "an http or https address is needed"),
    model: z.string().min(1).max(256),
    contextSize: remoteContextSizeSchema.default(DEFAULT_REMOTE_CONTEXT),
  })
  .strict();

/** The settings as main stores them. */
export const settingsSchema = z
  .object({
    language: z.enum(UI_LANGUAGES),
    theme: z.enum(THEMES),
    /** The local .gguf to load at start, if any. */
    modelPath: z.string().max(4096).nullable(),
    gpu: z.enum(GPU_BACKENDS),
    contextSize: contextSizeSchema,
    /** The card recommends 0.1–0.5. */
    temperature: temperatureSchema,
    /** The card recommends 30–50. */
    topK: topKSchema,
    /** Passages retrieved per question; as many of them as fit the context are sent. */
    documentsPerQuestion: documentsPerQuestionSchema,
    /** The longest answer, in tokens; room for it is kept free in the context. */
    maxAnswerTokens: maxAnswerTokensSchema,
    /** Answer through an OpenAI-compatible endpoint instead of the local model. */
    remote: remoteSettingsSchema.nullable(),
  })
  .strict();
export type StoredSettings = z.infer<typeof settingsSchema>;

/**
 * A change from a window. The endpoint's apiKey is write-only: a string sets it, null removes it,
 * and leaving it out keeps the one there is.
 */
export const settingsPatchSchema = settingsSchema
  .partial()
  .extend({ remote: remoteSettingsSchema.extend({ apiKey: z.string().trim().min(1).max(4096).nullable().optional() }).strict().nullable().optional() })
  .strict();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** Whether the endpoint has a key, and whether it outlives this run: windows never see the key itself. */
export interface ApiKeyState {
  hasApiKey: boolean;
  /** False when this computer offers no protected storage: the key is kept until Sourcebook quits. */
  apiKeySaved: boolean;
}

/** What the person chose in Settings, as every window and the CLI see it. */
export type Settings = Omit<StoredSettings, "remote"> & { remote: (z.infer<typeof remoteSettingsSchema> & ApiKeyState) | null };
export type RemoteSettings = NonNullable<Settings["remote"]>;

export const DEFAULT_SETTINGS: StoredSettings & Settings = {
  language: "auto",
  theme: "system",
  modelPath: null,
  gpu: "auto",
  contextSize: "auto",
  temperature: 0.3,
  topK: 40,
  documentsPerQuestion: 6,
  maxAnswerTokens: 1024,
  remote: null,
};

/** What shapes one answer: the settings' part that the answer path reads. */
export type GenerationSettings = Pick<Settings, "temperature" | "topK" | "documentsPerQuestion" | "maxAnswerTokens">;
