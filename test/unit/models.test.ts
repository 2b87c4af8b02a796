import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listModels, MODEL_CATALOG, pullModel, resolveModelRef } from "../../main/llm/models.js";
import { tinyGguf } from "../fixtures/tiny-gguf.js";
import { CLI, runCli, tempDir, waitFor } from "../helpers.js";

const model = tinyGguf({ seed: 1 });
// The downloader writes whole 5 MB chunks, four connections at a time: this is big enough that
// some are complete when the download is cut off.
const big = Buffer.concat([model, Buffer.alloc(32 * 1024 * 1024 - model.length, 1)]);
let bigBytesSent = 0;
let server: http.Server;
let base: string;

beforeAll(async () => {
  // Serves the tiny model slowly enough that a download can be cancelled half way.
  server = http.createServer((req, res) => {
    const whole = req.url === "/notes.gguf" ? Buffer.from("# these are notes, not a model\n".repeat(100)) : req.url === "/big.gguf" ? big : model;
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : whole.length - 1;
    const body = whole.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      "content-length": body.length,
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${end}/${whole.length}` } : {}),
    });
    if (req.method === "HEAD") return res.end();
    const step = req.url === "/big.gguf" ? 262144 : 65536;
    let i = 0;
    const timer = setInterval(() => {
      if (i >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      const piece = body.subarray(i, i + step);
      // Only ranged requests carry the download; the first, plain GET just reads the size.
      if (req.url === "/big.gguf" && range) bigBytesSent += piece.length;
      res.write(piece);
      i += step;
    }, req.url === "/slow.gguf" ? 100 : req.url === "/big.gguf" ? 40 : 1);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

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
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const controller = new AbortController();
      const pull = pullModel(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/model.gguf`, { dir: tempDir(), signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
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
    const list = JSON.parse((await runCli(["models", "list", "--dir", dir, "--json"])).stdout) as { downloaded: Array<{ fileName: string }>; catalog: unknown[] };
    expect(list.downloaded.map((m) => m.fileName)).toEqual(["tiny.gguf"]);
    expect(list.catalog).toHaveLength(2);
    expect((await runCli(["models", "pull"])).code).toBe(2);
    expect((await runCli(["models", "fetch", "x"])).code).toBe(2);
    const bad = await runCli(["models", "pull", "gpt-5", "--dir", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not in the catalog/);
  });
});
