import fs from "node:fs";
import path from "node:path";
import { headingOf, paragraphPool, progitNotes, seededRandom, xquadNotes, type BeirSet } from "./corpora.js";

export interface Written {
  files: number;
  bytes: number;
}

/** Keeps generated folders at a realistic size: a few hundred notes each, not 20k in one. */
const FILES_PER_FOLDER = 500;

function writeNote(file: string, text: string, totals: Written): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  totals.files++;
  totals.bytes += Buffer.byteLength(text);
}

const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._-]+/gu, "-").slice(0, 120);

/**
 * A Markdown notes folder of at least targetBytes: the Pro Git book (ru + en) and the XQuAD
 * articles (ru + en), copied round after round. Copies are byte-identical; the library treats
 * every path as its own document, so they cost the same to ingest as new text of that size.
 */
export function writeMarkdownCorpus(dir: string, targetBytes: number): Written {
  const units = [...progitNotes("ru"), ...progitNotes("en"), ...xquadNotes("ru"), ...xquadNotes("en")];
  const totals: Written = { files: 0, bytes: 0 };
  for (let round = 0; totals.bytes < targetBytes; round++) {
    for (const [i, unit] of units.entries()) {
      if (totals.bytes >= targetBytes) break;
      writeNote(path.join(dir, `copy-${String(round).padStart(3, "0")}`, `${i}-${safeName(unit.name)}.md`), unit.markdown, totals);
    }
  }
  return totals;
}

export const SECTIONS_PER_NOTE = 5;

/**
 * Notes of SECTIONS_PER_NOTE headed sections, each one real paragraph picked at random, so
 * that every section is one chunk: enough notes for at least targetChunks chunks.
 */
export function writeChunkCorpus(dir: string, targetChunks: number, seed = 1): Written {
  const pool = paragraphPool();
  const random = seededRandom(seed);
  const totals: Written = { files: 0, bytes: 0 };
  const notes = Math.ceil(targetChunks / SECTIONS_PER_NOTE);
  for (let n = 0; n < notes; n++) {
    // No title line: the first heading names the note, so no made-up word is in every chunk's title.
    let text = "";
    for (let s = 0; s < SECTIONS_PER_NOTE; s++) {
      const paragraph = pool[Math.floor(random() * pool.length)]!;
      text += `## ${headingOf(paragraph)}\n\n${paragraph}\n\n`;
    }
    writeNote(path.join(dir, `folder-${Math.floor(n / FILES_PER_FOLDER)}`, `note-${n}.md`), text, totals);
  }
  return totals;
}

/** Where writeSmallNotes puts note n: a hundred notes to a folder, as in a long-kept notes vault. */
export const smallNotePath = (dir: string, n: number) => path.join(dir, `folder-${Math.floor(n / 100)}`, `note-${n}.md`);

/** Small one-paragraph notes of real text. */
export function writeSmallNotes(dir: string, count: number, seed = 2): Written {
  const pool = paragraphPool();
  const random = seededRandom(seed);
  const totals: Written = { files: 0, bytes: 0 };
  for (let n = 0; n < count; n++) {
    const paragraph = pool[Math.floor(random() * pool.length)]!;
    writeNote(smallNotePath(dir, n), `# ${headingOf(paragraph)}\n\n${paragraph}\n`, totals);
  }
  return totals;
}

/** One plain-text file per BEIR paragraph, named by its id, so a hit's path gives the id back. */
export function writeBeirDocs(dir: string, set: BeirSet): Written {
  const totals: Written = { files: 0, bytes: 0 };
  for (const doc of set.docs) writeNote(path.join(dir, `${doc.id}.txt`), doc.text, totals);
  return totals;
}
