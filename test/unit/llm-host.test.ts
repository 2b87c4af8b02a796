import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmStatus } from "../../shared/llm.js";
import { describeLoadFailure } from "../../main/llm/errors.js";
import { ModelHost } from "../../main/llm/host.js";
import { promptText } from "../../main/llm/prompt.js";
import { tinyGguf, writeTinyGguf } from "../fixtures/tiny-gguf.js";
import { tempDir } from "../helpers.js";

let dir: string;
let tiny: string;
let tiny2: string;
const host = new ModelHost();

beforeAll(() => {
  dir = tempDir();
  tiny = writeTinyGguf(path.join(dir, "tiny.gguf"), { seed: 1 });
  tiny2 = writeTinyGguf(path.join(dir, "other.gguf"), { seed: 2, name: "other-tiny" });
});
afterAll(() => host.close());

describe("model host", () => {
  it("loads a GGUF on the CPU with one thread per physical core, and reports what it loaded", async () => {
    const seen: LlmStatus[] = [];
    const off = host.onStatus((s) => seen.push(s));
    const status = await host.load({ modelPath: tiny, gpu: "cpu", contextSize: 4096 });
    off();
    expect(seen[0]).toMatchObject({ state: "loading", loadProgress: 0 });
    expect(status).toMatchObject({
      state: "ready",
      backend: "cpu",
      gpuDevices: [],
      vram: null,
      layers: { offloaded: 0, total: expect.any(Number) },
      contextSize: 4096,
      modelPath: tiny,
      loadProgress: 1,
      error: null,
      model: { name: "tiny-vikhr-nemo-test", architecture: "llama", fileBytes: fs.statSync(tiny).size, trainedContext: 8192 },
    });
    expect(status.model!.parameters).toMatch(/^\d+(\.\d)?K$/);
    // The physical cores as node-llama-cpp counts them, never its default of 4 on this 2-core machine.
    const physical = await host.run(async ({ llama }) => llama.cpuMathCores);
    expect(status.threads).toBe(physical);
    expect(await host.run(async ({ context }) => context.currentThreads)).toBe(physical);
  });

  it("takes an explicit thread count and caps the context at what the model was trained for", async () => {
    const status = await host.load({ modelPath: tiny, gpu: "cpu", threads: 1, contextSize: 1_000_000 });
    expect(status).toMatchObject({ threads: 1, contextSize: 8192 });
  });

  it("chooses the context automatically by default, within the automatic range and what the model was trained on", async () => {
    expect(await host.load({ modelPath: tiny, gpu: "cpu", threads: 1 })).toMatchObject({ contextSize: 8192, contextMode: "auto" });
    const short = writeTinyGguf(path.join(dir, "short-context.gguf"), { seed: 3, contextLength: 2048 });
    expect(await host.load({ modelPath: short, gpu: "cpu", threads: 1, contextSize: "auto" })).toMatchObject({ contextSize: 2048, contextMode: "auto" });
    // llama.cpp rounds a context up to a multiple of 256; the status, and the budget, use what it made.
    expect(await host.load({ modelPath: tiny, gpu: "cpu", threads: 1, contextSize: 3000 })).toMatchObject({ contextSize: 3072, contextMode: "fixed" });
  });

  it("switches models and unloads", async () => {
    expect((await host.load({ modelPath: tiny2, gpu: "cpu", contextSize: 2048 })).model?.name).toBe("other-tiny");
    await host.unload();
    expect(host.status().state).toBe("unloaded");
    await expect(host.run(async () => 1)).rejects.toMatchObject({ code: "NO_MODEL" });
  });

  it("runs queued jobs one at a time", async () => {
    await host.load({ modelPath: tiny, gpu: "cpu", contextSize: 2048 });
    const events: string[] = [];
    const job = (name: string) =>
      host.run(async () => {
        events.push(`${name} start`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} end`);
      });
    await Promise.all([job("a"), job("b")]);
    expect(events).toEqual(["a start", "a end", "b start", "b end"]);
  });

  it("says clearly what is wrong with a bad model file, and recovers", async () => {
    await expect(host.load({ modelPath: path.join(dir, "missing.gguf") })).rejects.toMatchObject({ code: "MODEL_NOT_FOUND" });
    fs.writeFileSync(path.join(dir, "notes.gguf"), "# not a model\n");
    await expect(host.load({ modelPath: path.join(dir, "notes.gguf") })).rejects.toMatchObject({ code: "NOT_GGUF" });
    // A GGUF magic followed by garbage would leave llama.cpp's loader waiting forever.
    fs.writeFileSync(path.join(dir, "damaged.gguf"), "GGUF but not really a model");
    await expect(host.load({ modelPath: path.join(dir, "damaged.gguf") })).rejects.toMatchObject({ code: "NOT_GGUF", message: expect.stringContaining("damaged") });
    fs.writeFileSync(path.join(dir, "short.gguf"), tinyGguf().subarray(0, 10));
    await expect(host.load({ modelPath: path.join(dir, "short.gguf") })).rejects.toMatchObject({ code: "NOT_GGUF" });
    const foreign = writeTinyGguf(path.join(dir, "foo.gguf"), { architecture: "foo" });
    await expect(host.load({ modelPath: foreign, gpu: "cpu" })).rejects.toMatchObject({
      code: "UNSUPPORTED_ARCHITECTURE",
      message: expect.stringContaining('"foo" model'),
    });
    expect(host.status()).toMatchObject({ state: "failed", error: { code: "UNSUPPORTED_ARCHITECTURE" } });
    expect((await host.load({ modelPath: tiny, gpu: "cpu", contextSize: 2048 })).state).toBe("ready");
  });

  it("falls back to the known template for a Vikhr file without one, and refuses an unknown model without one", async () => {
    const vikhr = writeTinyGguf(path.join(dir, "Vikhr-Nemo-12B-Instruct-R-21-09-24.Q4_K_M.gguf"), { chatTemplate: null, name: "Vikhr-Nemo-12B-Instruct-R-21-09-24" });
    await host.load({ modelPath: vikhr, gpu: "cpu", contextSize: 2048 });
    const text = await host.run(async ({ template }) => promptText(template.render([{ role: "user", content: "q" }])));
    expect(text).toBe("<s><|start_header_id|>user<|end_header_id|>\n\nq</s><|start_header_id|>assistant<|end_header_id|>\n\n");
    const unknown = writeTinyGguf(path.join(dir, "mystery.gguf"), { chatTemplate: null, name: "mystery" });
    await expect(host.load({ modelPath: unknown, gpu: "cpu" })).rejects.toMatchObject({ code: "NO_TEMPLATE" });
  });

  it.skipIf(process.platform === "darwin")("refuses a backend this computer does not have", async () => {
    await expect(host.load({ modelPath: tiny, gpu: "metal" })).rejects.toMatchObject({ code: "BACKEND_UNAVAILABLE" });
    expect((await host.load({ modelPath: tiny, gpu: "cpu", contextSize: 2048 })).state).toBe("ready");
  });

  it("switches backends and closes after a model failed inside llama.cpp", async () => {
    const truncated = path.join(dir, "truncated.gguf");
    const bytes = tinyGguf();
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    await expect(host.load({ modelPath: truncated, gpu: "cpu" })).rejects.toMatchObject({
      code: "LOAD_FAILED",
      message: expect.stringContaining("corrupted or incomplete"),
    });
    // The hang this guards against appears once the failed model object has been collected.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    expect((await host.load({ modelPath: tiny, gpu: "cpu", contextSize: 2048 })).state).toBe("ready");
    if (process.platform !== "darwin") {
      await expect(host.load({ modelPath: tiny, gpu: "metal" })).rejects.toMatchObject({ code: "BACKEND_UNAVAILABLE" });
    }
    await host.close();
    expect(host.status().state).toBe("unloaded");
  });
});

describe("load failures", () => {
  it("suggests fewer GPU layers or a smaller context when memory runs out", () => {
    const oom = describeLoadFailure(new Error("Failed to load model"), "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 7000 MiB on device 0: cudaMalloc failed: out of memory", undefined, "/m/big.gguf");
    expect(oom).toMatchObject({ code: "OUT_OF_MEMORY", message: expect.stringMatching(/fewer GPU layers.*smaller context/) });
    expect(describeLoadFailure(new Error("boom"), "", { name: "llama", known: true }, "/m/x.gguf")).toMatchObject({ code: "LOAD_FAILED", message: "Could not load /m/x.gguf: boom" });
  });
});
