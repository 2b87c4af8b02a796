import fs from "node:fs";
import path from "node:path";
import { Library } from "../../main/library/library.js";
import { paragraphPool, seededRandom } from "./corpora.js";
import { smallNotePath, writeSmallNotes } from "./generate.js";
import { percentile, round, sleep } from "./measure.js";
import type { BenchContext, BenchOutput } from "./report.js";

type SaveKind = "new file" | "edit" | "atomic save";
const KINDS: SaveKind[] = ["new file", "edit", "atomic save"];
const POLL_MS = 5;
const GIVE_UP_MS = 5000;

/** A made-up word, letters only, that no real text contains: only the saved note can match it. */
function uniqueWord(i: number): string {
  let letters = "";
  for (let n = i + 26 * 26; n > 0; n = Math.floor(n / 26)) letters += String.fromCharCode(97 + (n % 26));
  return `zorqvex${letters}blim`;
}

/** Saves a note the way editors do: a plain write, or a temp file renamed over the note. */
function save(kind: SaveKind, target: string, text: string): void {
  if (kind === "atomic save") {
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  } else {
    fs.writeFileSync(target, text);
  }
}

export async function watchBench(ctx: BenchContext): Promise<BenchOutput> {
  const { config } = ctx;
  const notes = path.join(fs.realpathSync(ctx.tmp), "notes");
  const written = writeSmallNotes(notes, config.watchNotes);
  const pool = paragraphPool();
  const random = seededRandom(4);
  const lib = Library.open(path.join(ctx.tmp, "library.sqlite"), { threads: config.threads });
  const errors: string[] = [];
  const samples: Array<{ kind: SaveKind; ms: number; found: boolean }> = [];
  try {
    await lib.index({ folders: [notes] });
    const watcher = await lib.watch({ onError: (error) => errors.push(error.message) });
    for (let i = 0; i < config.watchSaves; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const word = uniqueWord(i);
      // New notes go into an existing folder, edits to a different existing note each time.
      const existing = smallNotePath(notes, (i * 37) % written.files);
      const target = kind === "new file" ? path.join(path.dirname(existing), `saved-${i}.md`) : existing;
      const paragraph = pool[Math.floor(random() * pool.length)]!;
      const text = `# Saved note ${i}\n\n${paragraph}\n\nRemember ${word} for later.\n`;

      save(kind, target, text);
      const started = performance.now();
      let found = false;
      while (performance.now() - started < GIVE_UP_MS) {
        if (lib.search(word, { k: 10 }).some((hit) => hit.path === target)) {
          found = true;
          break;
        }
        await sleep(POLL_MS);
      }
      // A save that never shows up counts at the give-up time, so it still weighs on the p95.
      samples.push({ kind, ms: found ? performance.now() - started : GIVE_UP_MS, found });
      await watcher.idle();
      await sleep(50);
    }
  } finally {
    await lib.close();
  }

  const ms = samples.map((s) => s.ms);
  const byKind = Object.fromEntries(KINDS.map((kind) => {
    const of = samples.filter((s) => s.kind === kind).map((s) => s.ms);
    return [kind, { count: of.length, p50: round(percentile(of, 50)), max: round(Math.max(...of)) }];
  }));
  const missed = samples.filter((s) => !s.found).length;
  return {
    rows: [
      { what: `watched save → found by search, p50 (${samples.length} saves)`, value: percentile(ms, 50), unit: "ms", digits: 0 },
      { what: `watched save → found by search, p95 (${samples.length} saves)`, value: percentile(ms, 95), unit: "ms", digits: 0, target: { op: "<=", value: 300 } },
      { what: `watched saves not found within ${GIVE_UP_MS / 1000} s`, value: missed, unit: "", digits: 0, target: { op: "==", value: 0 } },
    ],
    details: {
      notes: written.files,
      pollMs: POLL_MS,
      byKind,
      watcherErrors: errors,
      samples: samples.map((s) => ({ ...s, ms: round(s.ms) })),
    },
  };
}
