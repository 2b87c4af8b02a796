import fs from "node:fs";
import { TRANSCRIPT_FORMATS, type TranscriptFormat } from "../../shared/api.js";
import type { ConversationSummary } from "../../shared/chat.js";
import { renderTranscript } from "../chat/transcript.js";
import { fromTranscript, parseTranscript } from "../chat/transcript-json.js";
import { DB_OPTION, JSON_OPTION, positiveInt, UsageError } from "./args.js";
import type { Command } from "./commands.js";
import { jsonLine, terminalText } from "./terminal-text.js";

/** A line for people, which may quote titles and paths. */
const line = (text: string) => `${terminalText(text)}\n`;

export const exportCommand: Command = {
  usage: "sourcebook export <conversation-id|--last> --format md|html|json [--out FILE] [--db FILE]",
  options: { ...DB_OPTION, last: { type: "boolean" }, format: { type: "string" }, out: { type: "string" } },
  async run({ values, positionals }, io, open) {
    const format = values.format as string | undefined;
    if (format === undefined) throw new UsageError(`export needs --format ${TRANSCRIPT_FORMATS.join(", ")}.`);
    if (!(TRANSCRIPT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${TRANSCRIPT_FORMATS.join(", ")}, not "${format}".`);
    if (values.last ? positionals.length > 0 : positionals.length !== 1) throw new UsageError("export needs one conversation id, or --last.");
    const id = values.last ? undefined : positiveInt(positionals[0], "The conversation id", 0);
    const { conversations } = open();
    const chosen = id ?? conversations.list()[0]?.id;
    if (chosen === undefined) throw new Error("There are no conversations yet.");
    const text = renderTranscript(conversations.get(chosen), format as TranscriptFormat);
    const out = values.out as string | undefined;
    if (out === undefined) {
      // Redirected to a file the transcript stays exact; only a terminal is kept from its controls.
      io.stdout.write(io.stdout.isTTY && format !== "json" ? terminalText(text) : text);
      return 0;
    }
    try {
      fs.writeFileSync(out, text);
    } catch (error) {
      throw new Error(`Cannot write ${out}: ${(error as Error).message}`);
    }
    io.stdout.write(line(`Exported conversation ${chosen} to ${out}.`));
    return 0;
  },
};

export const chatsCommand: Command = {
  usage: "sourcebook chats [--db FILE] [--json]",
  options: { ...DB_OPTION, ...JSON_OPTION },
  async run({ values, positionals }, io, open) {
    if (positionals.length) throw new UsageError("chats takes no arguments.");
    const list = open().conversations.list();
    if (values.json) io.stdout.write(`${jsonLine(list)}\n`);
    else if (!list.length) io.stdout.write(line("No conversations yet: `sourcebook ask` starts one."));
    else io.stdout.write(line(formatList(list)));
    return 0;
  },
};

export const importCommand: Command = {
  usage: "sourcebook import FILE [--db FILE] [--json]",
  options: { ...DB_OPTION, ...JSON_OPTION },
  async run({ values, positionals }, io, open) {
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length) throw new UsageError("import needs one JSON transcript file.");
    let json: string;
    try {
      json = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
    }
    // Checked before the library is opened: a bad file leaves no trace.
    const transcript = parseTranscript(json);
    const summary = open().conversations.importConversation(fromTranscript(transcript));
    if (values.json) io.stdout.write(`${jsonLine(summary)}\n`);
    else io.stdout.write(line(`Imported conversation ${summary.id}: ${JSON.stringify(summary.title)} (${questions(summary)}).`));
    return 0;
  },
};

function questions(c: ConversationSummary): string {
  const n = c.messageCount / 2;
  return n === 1 ? "1 question" : `${n} questions`;
}

function formatList(list: ConversationSummary[]): string {
  const idWidth = Math.max(2, ...list.map((c) => String(c.id).length));
  const header = `${"ID".padStart(idWidth)}  UPDATED           MESSAGES  TITLE`;
  const rows = list.map((c) => `${String(c.id).padStart(idWidth)}  ${localMinute(c.updatedAt)}  ${String(c.messageCount).padStart(8)}  ${c.title}`);
  return [header, ...rows].join("\n");
}

/** YYYY-MM-DD HH:MM in the local time zone. */
function localMinute(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
