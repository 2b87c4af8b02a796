import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropLateProgressRecord, listModels, MODEL_CATALOG, pullModel, resolveModelRef } from "../../main/llm/models.js";
import { startModelServer } from "../fixtures/model-server.js";
import { tinyGguf } from "../fixtures/tiny-gguf.js";
import { CLI, runCli, tempDir, waitFor } from "../helpers.js";

const model = tinyGguf({ seed: 1 });
// The downloader writes whole 5 MB chunks, four connections at a time: this is big enough that
// some are complete when the download is cut off.
const big = Buffer.concat([model, Buffer.alloc(32 * 1024 * 1024 - model.length, 1)]);
let bigBytesSent = 0;
let server: Awaited<ReturnType<typeof startModelServer>>;
let base: string;

beforeAll(async () => {
  // Serves the tiny model slowly enough that a download can be cancelled half way.
  server = await startModelServer((url) => {
    if (url === "/notes.gguf") return { bytes: Buffer.from("# these are notes, not a model\n".repeat(100)) };
    if (url === "/big.gguf") {
      // Only ranged requests carry the download; the first, plain GET just reads the size.
      return { bytes: big, step: 262144, intervalMs: 40, onSent: (bytes, ranged) => void (ranged && (bigBytesSent += bytes)) };
    }
    return { bytes: model, intervalMs: url === "/slow.gguf" ? 100 : 1 };
  });
  base = server.base;
});
afterAll(() => server.close());

describe("model downloads", () => {
  it("downloads a GGUF with progress, and skips it when it is already there", async () => {
    const dir = tempDir();
    const progress: number[] = [];
    const file = await pullModel(`${base}/tiny.gguf`, { dir, onProgress: (p) => progress.push(p.downloadedBytes / p.totalBytes) });
    expect(fs.readFileSync(file).equals(model)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(listModels(dir)).toEqual([{ path: file, fileName: "tiny.gguf", bytes: model.length }]);
    // The downloader still asks the server for the size, but does not write the file again.
    const mtime = fs.statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect(await pullModel(`${base}/tiny.gguf`, { dir })).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
  });

  it("can be cancelled, leaving no model file behind", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const pull = pullModel(`${base}/slow.gguf`, {
      dir,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.downloadedBytes > 0 && !controller.signal.aborted) setImmediate(() => controller.abort());
      },
    });
    await expect(pull).rejects.toMatchObject({ code: "DOWNLOAD_CANCELLED" });
    expect(listModels(dir)).toEqual([]);
  });

  it("can be cancelled while the server has not answered yet", async () => {
    const controller = new AbortController();
    // Cancelled once the request has reached the server, which never answers it.
    const silent = http.createServer(() => controller.abort());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const pull = pullModel(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/model.gguf`, { dir: tempDir(), signal: controller.signal });
      await expect(pull).rejects.toMatchObject({ code: "DOWNLOAD_CANCELLED" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("resumes a download cut off by a killed process instead of starting again", async () => {
    const dir = tempDir();
    bigBytesSent = 0;
    const child = spawn(process.execPath, [CLI, "models", "pull", `${base}/big.gguf`, "--dir", dir], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("close", resolve));
    await waitFor(() => bigBytesSent >= 20 * 1024 * 1024, 20_000, "20 MB served");
    child.kill("SIGKILL");
    await exited;
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".ipull"))).toHaveLength(1);
    bigBytesSent = 0;
    const file = await pullModel(`${base}/big.gguf`, { dir });
    expect(fs.readFileSync(file).equals(big)).toBe(true);
    expect(bigBytesSent).toBeLessThan(big.length * 0.75);
  });

  it("removes a download that is not a GGUF", async () => {
    const dir = tempDir();
    await expect(pullModel(`${base}/notes.gguf`, { dir })).rejects.toMatchObject({ code: "NOT_GGUF" });
    expect(listModels(dir)).toEqual([]);
  });

  it("cuts off a progress record the downloader saved after the end, and nothing else", () => {
    const dir = tempDir();
    const write = (name: string, tail: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.concat([model, Buffer.from(tail)]));
      return file;
    };
    const late = write("late.gguf", JSON.stringify({ part: 0, chunks: [2], chunkSize: 5242880, parallelStreams: 4 }));
    expect(dropLateProgressRecord(late, model.length)).toBe(model.length);
    expect(fs.readFileSync(late).equals(model)).toBe(true);
    // More bytes than announced that are not a progress record: the caller removes the download.
    for (const tail of ["trailing garbage", '{"part":0}', "[1,2]"]) {
      const other = write("other.gguf", tail);
      expect(dropLateProgressRecord(other, model.length)).toBe(model.length + tail.length);
      expect(fs.statSync(other).size).toBe(model.length + tail.length);
    }
    expect(dropLateProgressRecord(write("whole.gguf", ""), model.length)).toBe(model.length);
  });

  it("knows its catalog and refuses anything else", () => {
    expect(resolveModelRef("vikhr-nemo-12b")).toMatch(/^hf:.*Vikhr-Nemo-12B-Instruct-R-21-09-24.*Q4_K_M\.gguf$/);
    expect(resolveModelRef("Vikhr-Llama3.1-8B-Instruct-R-21-09-24")).toBe(MODEL_CATALOG[1]!.uri);
    expect(resolveModelRef("hf:user/repo:Q4_K_M")).toBe("hf:user/repo:Q4_K_M");
    expect(() => resolveModelRef("gpt-5")).toThrow(expect.objectContaining({ code: "MODEL_NOT_FOUND" }));
  });
});

describe("sourcebook models", () => {
  it("pulls into a folder and lists it", async () => {
    const dir = tempDir();
    const pull = await runCli(["models", "pull", `${base}/tiny.gguf`, "--dir", dir]);
    expect(pull).toMatchObject({ code: 0, stdout: `${path.join(dir, "tiny.gguf")}\n` });
    const list = JSON.parse((await runCli(["models", "list", "--dir", dir, "--json"])).stdout) as { downloaded: Array<{ fileName: string }>; catalog: Array<{ id: string }> };
    expect(list.downloaded.map((m) => m.fileName)).toEqual(["tiny.gguf"]);
    expect(list.catalog.map((m) => m.id)).toEqual(MODEL_CATALOG.map((m) => m.id));
    expect((await runCli(["models", "pull"])).code).toBe(2);
    expect((await runCli(["models", "fetch", "x"])).code).toBe(2);
    const bad = await runCli(["models", "pull", "gpt-5", "--dir", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not in the catalog/);
  });
});
