import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listModels, MODEL_CATALOG, pullModel, resolveModelRef } from "../../main/llm/models.js";
import { tinyGguf } from "../fixtures/tiny-gguf.js";
import { runCli, tempDir } from "../helpers.js";

const model = tinyGguf({ seed: 1 });
let server: http.Server;
let base: string;

beforeAll(async () => {
  // Serves the tiny model slowly enough that a download can be cancelled half way.
  server = http.createServer((req, res) => {
    const body = req.url === "/notes.gguf" ? Buffer.from("# these are notes, not a model\n".repeat(100)) : model;
    res.writeHead(200, { "content-length": body.length, "content-type": "application/octet-stream" });
    if (req.method === "HEAD") return res.end();
    let i = 0;
    const timer = setInterval(() => {
      if (i >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.subarray(i, i + 65536));
      i += 65536;
    }, req.url === "/slow.gguf" ? 100 : 1);
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
