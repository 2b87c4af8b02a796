import { listModels, MODEL_CATALOG, modelsDir, pullModel } from "../llm/models.js";
import { JSON_OPTION, UsageError } from "./args.js";
import type { Command } from "./commands.js";
import { jsonLine, terminalText } from "./terminal-text.js";

const GB = 1e9;

export const modelsCommand: Command = {
  usage: "sourcebook models pull <catalog-name|hf:uri|url> [--dir DIR]\n       sourcebook models list [--dir DIR] [--json]",
  options: { ...JSON_OPTION, dir: { type: "string" } },
  async run({ values, positionals }, io) {
    const [sub, ref, ...extra] = positionals;
    const dir = (values.dir as string | undefined) ?? modelsDir();
    if (sub === "list") {
      if (ref) throw new UsageError("models list takes no arguments.");
      const local = listModels(dir);
      if (values.json) {
        io.stdout.write(`${jsonLine({ dir, downloaded: local, catalog: MODEL_CATALOG })}\n`);
        return 0;
      }
      const lines = [`Catalog (sourcebook models pull <name>):`];
      for (const m of MODEL_CATALOG) lines.push(`  ${m.id.padEnd(20)} ${m.name} ${m.quantization}, ≈ ${(m.approxBytes / GB).toFixed(1)} GB`);
      lines.push(`Downloaded, in ${dir}:`);
      if (!local.length) lines.push("  none yet");
      for (const m of local) lines.push(`  ${m.fileName} (${(m.bytes / GB).toFixed(2)} GB)`);
      io.stdout.write(terminalText(lines.join("\n")) + "\n");
      return 0;
    }
    if (sub !== "pull") throw new UsageError(sub ? `unknown models command "${sub}".` : "models needs pull or list.");
    if (!ref || extra.length) throw new UsageError("models pull takes one model: a catalog name, an hf: URI or a URL.");
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    let last = 0;
    try {
      const file = await pullModel(ref, {
        dir,
        signal: controller.signal,
        onProgress: ({ downloadedBytes, totalBytes }) => {
          if (!io.stderr.isTTY || Date.now() - last < 200) return;
          last = Date.now();
          const pct = totalBytes ? Math.floor((downloadedBytes / totalBytes) * 100) : 0;
          io.stderr.write(`\r\x1b[KDownloading… ${pct}% (${(downloadedBytes / GB).toFixed(2)} of ${(totalBytes / GB).toFixed(2)} GB)`);
        },
      });
      if (io.stderr.isTTY) io.stderr.write("\r\x1b[K");
      io.stdout.write(`${terminalText(file)}\n`);
    } finally {
      process.off("SIGINT", stop);
    }
    return 0;
  },
};
