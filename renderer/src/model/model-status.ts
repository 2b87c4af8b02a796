// The model host's state as main reports it: asked once, then followed through models.status events.
import { useEffect, useState } from "react";
import type { LlmStatus } from "../../../shared/llm.js";
import { call, useEvent } from "../api.js";
import { useSettings } from "../state/settings.js";

export function useModelStatus(): LlmStatus | null {
  const [status, setStatus] = useState<LlmStatus | null>(null);
  useEffect(() => {
    let current = true;
    void call("models.status", {}).then((value) => current && setStatus(value));
    return () => {
      current = false;
    };
  }, []);
  useEvent("models.status", setStatus);
  return status;
}

/** Loads a model with the GPU and context size chosen in Settings. */
export function useLoadModel(): (modelPath: string) => Promise<LlmStatus> {
  const { settings } = useSettings();
  return (modelPath) => call("models.load", { modelPath, gpu: settings.gpu, contextSize: settings.contextSize });
}

export const BACKEND_NAMES = { cpu: "CPU", cuda: "CUDA", vulkan: "Vulkan", metal: "Metal" } as const;
