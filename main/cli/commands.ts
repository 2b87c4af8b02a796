import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { DOCUMENT_FORMATS, SEARCH_MODES, type DocumentFormat, type SearchFilters, type SearchMode } from "../../shared/library.js";
import { isWebUrl } from "../../shared/web-url.js";
import { checkGguf } from "../llm/gguf.js";
import type { Services, ServicesOptions } from "../services.js";
import { DB_OPTION, JSON_OPTION, libraryExists, MODEL_SOURCE_OPTIONS, positiveInt, UsageError, type OptionSpec, type ParsedArgs } from "./args.js";
import { askCommand } from "./ask.js";
import { modelsCommand } from "./models.js";
import { embeddingBar, formatHit, formatSummary, hitJson, progressBar } from "./format.js";
import { jsonLine, terminalText } from "./terminal-text.js";
import { chatsCommand, exportCommand, importCommand } from "./transcripts.js";

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export type Command = {
  usage: string;
  options: OptionSpec;
  /** Checks its arguments first, then calls open(): a usage error never creates a library. */
  run(args: ParsedArgs, io: Io, open: (options?: ServicesOptions) => Services): Promise<number>;
};

const write = (stream: NodeJS.WriteStream, text: string) => stream.write(text.endsWith("\n") ? text : text + "\n");

export const COMMANDS: Record<string, Command> = {
  index: {
    usage: "sourcebook index <folder>... [--db FILE] [--json]",
    options: { ...DB_OPTION, ...JSON_OPTION },
    async run({ values, positionals }, io, open) {
      if (!positionals.length) throw new UsageError("index needs at least one folder.");
      const { library } = open();
      const bar = progressBar(io.stderr);
      const summary = await library.index({ folders: positionals, onProgress: bar });
      bar.end();
      write(io.stdout, values.json ? jsonLine(summary) : formatSummary(summary));
      return 0;
    },
  },

  watch: {
    usage: "sourcebook watch <folder>... [--db FILE]",
    options: { ...DB_OPTION },
    async run({ values, positionals }, io, open) {
      if (!positionals.length && !libraryExists(values.db as string | undefined)) throw new UsageError("watch needs a folder, or a library that has folders.");
      const { library } = open();
      for (const folder of positionals) await library.addFolder(folder);
      if (!library.folders().length) throw new UsageError("watch needs a folder, or a library that has folders.");
      const bar = progressBar(io.stderr);
      const stamp = () => new Date().toLocaleTimeString();
      const watcher = await library.watch({
        onProgress: bar,
        onChange: (c) => write(io.stdout, terminalText(`${stamp()} ${c.type.padEnd(8)} ${JSON.stringify(c.path)}${c.detail ? `: ${c.detail}` : ""}`)),
        onError: (e) => write(io.stderr, `sourcebook: watching failed: ${terminalText(e.message)}`),
      });
      bar.end();
      const folders = library.folders();
      write(io.stdout, `Watching ${terminalText(folders.map((f) => f.path).join(", "))} (${folders.reduce((n, f) => n + f.indexed, 0)} files indexed). Press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await watcher.idle();
      return 0;
    },
  },

  search: {
    usage:
      "sourcebook search <query> [--db FILE] [-k N] [--json] [--mode lexical|semantic|hybrid] [--folder DIR] [--path-prefix PATH] [--format F]... [--tag NAME]...\n" +
      "       sourcebook search --batch FILE [--db FILE] [-k N] [--mode lexical|semantic|hybrid] --json\n" +
      "       Without --mode: hybrid where the library's embedding model has vectors, else lexical.",
    options: {
      ...DB_OPTION,
      ...JSON_OPTION,
      k: { type: "string", short: "k" },
      mode: { type: "string" },
      threads: { type: "string" },
      batch: { type: "string" },
      folder: { type: "string" },
      "path-prefix": { type: "string" },
      format: { type: "string", multiple: true },
      tag: { type: "string", multiple: true },
    },
    async run({ values, positionals }, io, open) {
      const k = positiveInt(values.k as string | undefined, "-k", 10);
      const options = { k, filters: searchFilters(values), mode: searchMode(values.mode as string | undefined) };
      const services = { embeddingThreads: threadsFlag(values.threads as string | undefined) };
      // Said once, not for every query of a batch.
      let noticed = false;
      const search = async (library: Services["library"], text: string) => {
        const result = await library.query(text, options);
        if (result.notice && !noticed) write(io.stderr, `sourcebook: ${terminalText(result.notice)}`);
        noticed ||= !!result.notice;
        return result.hits;
      };
      if (values.batch !== undefined) {
        if (positionals.length) throw new UsageError("search --batch takes its queries from the file, not the command line.");
        if (!values.json) throw new UsageError("search --batch prints JSON lines: add --json.");
        const file = values.batch as string;
        const input = await openQueryFile(file);
        const { library } = open(services);
        await searchBatch(file, input, async (text) => (await search(library, text)).map(hitJson), io);
        return 0;
      }
      const query = positionals.join(" ");
      if (!query.trim()) throw new UsageError("search needs a query.");
      const { library } = open(services);
      const hits = await search(library, query);
      if (values.json) write(io.stdout, jsonLine(hits.map(hitJson)));
      else if (!hits.length) write(io.stdout, "No matches.");
      else write(io.stdout, hits.map((h, i) => formatHit(h, i + 1, !!io.stdout.isTTY)).join("\n\n"));
      return 0;
    },
  },

  embed: {
    usage:
      "sourcebook embed [--model FILE.gguf | --endpoint URL [--api-key K] --model-name N] [--db FILE] [--json] [--threads N]\n" +
      "       Sets the library's embedding model (without --model or --endpoint: the one it has) and embeds what has no vector yet.",
    options: {
      ...DB_OPTION,
      ...JSON_OPTION,
      ...MODEL_SOURCE_OPTIONS,
      threads: { type: "string" },
    },
    async run({ values, positionals }, io, open) {
      if (positionals.length) throw new UsageError("embed takes no arguments: the library's chunks are what it embeds.");
      const modelFlag = values.model as string | undefined;
      const endpoint = values.endpoint as string | undefined;
      const modelName = values["model-name"] as string | undefined;
      const apiKey = (values["api-key"] as string | undefined) ?? process.env.SOURCEBOOK_API_KEY;
      if (modelFlag && endpoint) throw new UsageError("embed takes either --model FILE.gguf or --endpoint URL, not both.");
      if (endpoint !== undefined && !isWebUrl(endpoint)) throw new UsageError(`--endpoint must be an http(s) URL, not "${endpoint}".`);
      if (endpoint && !modelName) throw new UsageError("embed --endpoint needs --model-name, the name the server serves the embedding model under.");
      if (!endpoint && (modelName !== undefined || values["api-key"] !== undefined)) throw new UsageError("--model-name and --api-key go with --endpoint.");
      if (modelFlag) checkGguf(path.resolve(modelFlag));
      const { library } = open({ embeddingThreads: threadsFlag(values.threads as string | undefined), embeddingApiKey: () => apiKey });
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      const bar = embeddingBar(io.stderr);
      try {
        if (modelFlag) await library.useEmbeddingModel({ kind: "local", modelPath: path.resolve(modelFlag) }, controller.signal);
        else if (endpoint) await library.useEmbeddingModel({ kind: "remote", baseUrl: endpoint, model: modelName!, apiKey }, controller.signal);
        const summary = await library.embed({ signal: controller.signal, onProgress: bar });
        bar.end();
        const { model, dims, chunks, embedded, reused, ms } = summary;
        write(
          io.stdout,
          values.json
            ? jsonLine({ model, dims, chunks, embedded, reused, ms })
            : terminalText(`${chunks} chunks: ${embedded} embedded, ${reused} already had a vector of ${model} (${dims} dimensions; ${(ms / 1000).toFixed(1)} s).`),
        );
      } finally {
        bar.end();
        process.off("SIGINT", stop);
      }
      return 0;
    },
  },

  status: {
    usage: "sourcebook status [--db FILE] [--json]",
    options: { ...DB_OPTION, ...JSON_OPTION },
    async run({ values }, io, open) {
      const { library } = open();
      const folders = library.folders();
      const failed = library.files({ status: "failed" }).map((f) => ({ path: f.path, error: f.reason ?? "" }));
      const { model, embedded, total } = library.embeddingStatus();
      const embedding = model && { model: model.name, kind: model.kind, location: model.location, dims: model.dims, embedded, total };
      if (values.json) {
        write(io.stdout, jsonLine({ db: library.dbPath, folders, failed, embedding }));
        return 0;
      }
      const lines = [`Library: ${library.dbPath}`];
      lines.push(
        embedding
          ? `Embedding model: ${embedding.model} (${embedding.dims} dimensions, ${embedding.location}); ${embedded} of ${total} chunks embedded`
          : "No embedding model: search is lexical. Set one with `sourcebook embed --model FILE.gguf`.",
      );
      if (!folders.length) lines.push("No folders yet: add one with `sourcebook index <folder>`.");
      for (const f of folders) lines.push(`${f.path}\n  ${f.indexed} indexed, ${f.skipped} skipped, ${f.failed} failed; ${f.chunks} chunks`);
      for (const f of failed) lines.push(`  failed ${JSON.stringify(f.path)}: ${f.error}`);
      write(io.stdout, terminalText(lines.join("\n")));
      return 0;
    },
  },
  ask: askCommand,
  models: modelsCommand,
  chats: chatsCommand,
  export: exportCommand,
  import: importCommand,
};

function searchMode(value: string | undefined): SearchMode | "auto" {
  if (value === undefined) return "auto";
  if (!(SEARCH_MODES as readonly string[]).includes(value)) throw new UsageError(`--mode must be one of ${SEARCH_MODES.join(", ")}, not "${value}".`);
  return value as SearchMode;
}

function threadsFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : positiveInt(value, "--threads", 1);
}

function searchFilters(values: ParsedArgs["values"]): SearchFilters {
  const formats = (values.format as string[] | undefined) ?? [];
  for (const format of formats) {
    if (!(DOCUMENT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${DOCUMENT_FORMATS.join(", ")}, not "${format}".`);
  }
  const tags = (values.tag as string[] | undefined) ?? [];
  if (tags.some((tag) => !tag.replace(/^#/, "").trim())) throw new UsageError("--tag needs a tag name, like --tag project or --tag project/alpha.");
  return {
    folder: values.folder as string | undefined,
    pathPrefix: values["path-prefix"] as string | undefined,
    formats: formats as DocumentFormat[],
    tags,
  };
}

async function openQueryFile(file: string): Promise<fs.ReadStream> {
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch {
    throw new Error(`Cannot read the query file ${file}.`);
  }
  return fs.createReadStream(file, { encoding: "utf8" });
}

async function searchBatch(file: string, input: fs.ReadStream, search: (text: string) => Promise<unknown>, io: Io): Promise<void> {
  let lineNo = 0;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (!line.trim()) continue;
    let query: { id?: unknown; text?: unknown };
    try {
      query = JSON.parse(line) as typeof query;
    } catch {
      throw new Error(`${file}:${lineNo} is not a JSON object like {"id": "q1", "text": "…"}.`);
    }
    if (typeof query.text !== "string") throw new Error(`${file}:${lineNo} has no "text" string.`);
    write(io.stdout, jsonLine({ id: query.id ?? null, results: await search(query.text) }));
  }
}
