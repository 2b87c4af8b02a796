// The model host's state as main reports it: asked once, then followed through models.status events.
import { useEffect, useRef, useState } from "react";
import type { GPU_BACKENDS, LlmStatus } from "../../../shared/llm.js";
import { call, useEvent } from "../api.js";
import { useLanguage, type useT } from "../i18n/index.js";
import "../i18n/settings.js";
import { useSettings } from "../state/settings.js";
import { messageOf } from "../ui/format.js";

export interface ModelStatusState {
  /** null until main has answered. */
  status: LlmStatus | null;
  /** models.status failed and no event has told the state since. */
  error: string | null;
}

export function useModelStatus(): ModelStatusState {
  const language = useLanguage();
  // The failure itself, described when shown, in the language of that moment.
  const [state, setState] = useState<{ status: LlmStatus | null; failure: unknown }>({ status: null, failure: null });
  /** An event came first: it is newer than what a slow models.status returns. */
  const heard = useRef(false);
  useEffect(() => {
    let current = true;
    call("models.status", {})
      .then((status) => current && !heard.current && setState({ status, failure: null }))
      .catch((cause: unknown) => current && !heard.current && setState({ status: null, failure: cause }));
    return () => {
      current = false;
    };
  }, []);
  useEvent("models.status", (status) => {
    heard.current = true;
    setState({ status, failure: null });
  });
  return { status: state.status, error: state.failure === null ? null : messageOf(state.failure, language) };
}

/** Loads a model with the GPU and context size chosen in Settings. */
export function useLoadModel(): (modelPath: string) => Promise<LlmStatus> {
  const { settings } = useSettings();
  return (modelPath) => call("models.load", { modelPath, gpu: settings.gpu, contextSize: settings.contextSize });
}

export const BACKEND_NAMES = { cpu: "CPU", cuda: "CUDA", vulkan: "Vulkan", metal: "Metal" } as const;

/** A GPU choice as Settings names it: "Automatic", "CPU only", or the backend. */
export function gpuLabel(t: ReturnType<typeof useT>, gpu: (typeof GPU_BACKENDS)[number]): string {
  return gpu === "auto" ? t("settings.gpu.auto") : gpu === "cpu" ? t("settings.gpu.cpu") : BACKEND_NAMES[gpu];
}
