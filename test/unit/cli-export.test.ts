import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AskResult, ConversationSummary } from "../../shared/chat.js";
import type { Transcript } from "../../shared/transcript.js";
import { createServices } from "../../main/services.js";
import { runCli, tempDir, type CliResult } from "../helpers.js";

const cited = {
  docId: 0,
  chunkId: 3,
  path: "/notes/Кошки и сон.md",
  title: "Кошки",
  heading: "Кошки › Сон",
  lineStart: 3,
  lineEnd: 4,
  snippet: "Кошки спят на подоконниках.",
};

const answered: AskResult = {
  question: "Где спят кошки?",
  refused: false,
  relevantDocIds: [0],
  answer: "На **подоконниках**.",
  stopped: false,
  citations: [{ ...cited, text: "Кошки спят на подоконниках.\nЗимой ближе к батарее." }],
  candidates: [cited],
  omitted: [],
  context: { size: 8192, promptTokens: 300, answerBudget: 1024, countedBy: "model", history: { sent: 0, leftOut: 0 } },
  truncated: false,
  tokens: { prompt: 300, evaluated: 310, reused: 0, generated: 9 },
  steps: { select: null, answer: null },
  timings: { retrieveMs: 2, selectMs: 150, answerMs: 400, firstTokenMs: 60 },
};

let root: string;
let db: string;
let env: NodeJS.ProcessEnv;
let first: ConversationSummary;
let second: ConversationSummary;

const cli = (...args: string[]) => runCli([...args, "--db", db], { cwd: root, env });

function ok(result: CliResult): string {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  root = fs.realpathSync(tempDir());
  db = path.join(root, "lib.db");
  env = { ...process.env, HOME: root, XDG_CONFIG_HOME: path.join(root, "config"), SOURCEBOOK_DB: path.join(root, "default.db"), TZ: "UTC" };
  const services = createServices({ dbPath: db });
  first = services.conversations.create("Про кошек");
  services.conversations.addExchange(first.id, "Где спят кошки?", answered, "tiny", { k: 6 });
  await new Promise((r) => setTimeout(r, 5));
  second = services.conversations.create("Mars");
  services.conversations.addExchange(
    second.id,
    "What is on Mars?",
    { ...answered, refused: true, relevantDocIds: [], citations: [], answer: "Your notes do not answer this." },
    "tiny",
    { k: 6 },
  );
  await services.close();
});

describe("sourcebook chats, export and import", () => {
  it("chats lists the conversations, newest first, as a table or JSON", async () => {
    const list = JSON.parse(ok(await cli("chats", "--json"))) as ConversationSummary[];
    expect(list.map((c) => [c.id, c.title, c.messageCount])).toEqual([
      [second.id, "Mars", 2],
      [first.id, "Про кошек", 2],
    ]);
    const table = ok(await cli("chats")).split("\n");
    expect(table[0]).toMatch(/^ID\s+UPDATED\s+MESSAGES\s+TITLE$/);
    const updated = new Date(list[1]!.updatedAt).toISOString().slice(0, 16).replace("T", " ");
    expect(table[2]).toBe(`${String(first.id).padStart(2)}  ${updated}         2  Про кошек`);
  });

  it("export prints a transcript, or writes it with --out; --last is the newest conversation", async () => {
    const md = ok(await cli("export", String(first.id), "--format", "md"));
    expect(md).toMatch(/^# Про кошек\n/);
    expect(md).toContain("> Где спят кошки?\n\n**Answer**\n\nНа **подоконниках**.\n\nSources: [^1]");
    expect(md).toContain("[^1]: [Кошки › Сон](file:///notes/%D0%9A%D0%BE%D1%88%D0%BA%D0%B8%20%D0%B8%20%D1%81%D0%BE%D0%BD.md) · lines 3–4");

    const out = path.join(root, "last.html");
    expect(ok(await cli("export", "--last", "--format", "html", "--out", out))).toBe(`Exported conversation ${second.id} to ${out}.\n`);
    const html = fs.readFileSync(out, "utf8");
    expect(html).toContain("<title>Mars</title>");
    expect(html).toContain("Not in your notes");
    expect(html).toContain('<span class="unused" lang="en">not used</span>');
  });

  it("a JSON export imports back as a new conversation that exports the same", async () => {
    const file = path.join(root, "first.json");
    ok(await cli("export", String(first.id), "--format", "json", "--out", file));
    const imported = JSON.parse(ok(await cli("import", file, "--json"))) as ConversationSummary;
    expect(imported).toMatchObject({ title: "Про кошек", messageCount: 2, createdAt: first.createdAt });
    expect(imported.id).not.toBe(first.id);
    expect(ok(await cli("import", file))).toMatch(new RegExp(`^Imported conversation ${imported.id + 1}: "Про кошек" \\(1 question\\)\\.\\n$`));

    const before = JSON.parse(fs.readFileSync(file, "utf8")) as Transcript;
    const after = JSON.parse(ok(await cli("export", String(imported.id), "--format", "json"))) as Transcript;
    const strip = (t: Transcript) => ({ ...t.conversation, id: 0, messages: t.conversation.messages.map((m) => ({ ...m, id: 0 })) });
    expect(strip(after)).toEqual(strip(before));
    expect(after.conversation.messages[1]!.answer!.citations[0]!.text).toBe("Кошки спят на подоконниках.\nЗимой ближе к батарее.");
    expect(JSON.parse(ok(await cli("chats", "--json")))).toHaveLength(4);
  });

  it("says what is wrong, and a usage error or a bad file creates no library", async () => {
    const fresh = path.join(root, "fresh.db");
    const run = (...args: string[]) => runCli([...args, "--db", fresh], { cwd: root, env });
    for (const args of [["export", "1"], ["export", "1", "--format", "pdf"], ["export", "--format", "md"], ["export", "--last", "1", "--format", "md"], ["export", "x", "--format", "md"], ["import"], ["chats", "extra"]]) {
      const result = await run(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^sourcebook: .+\nUsage: sourcebook (export|import|chats) /);
    }
    const bad = path.join(root, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ format: "sourcebook-transcript", version: 9 }));
    const badResult = await run("import", bad);
    expect(badResult).toMatchObject({ code: 1, stdout: "", stderr: "sourcebook: This transcript is version 9; this version of Sourcebook reads version 1.\n" });
    expect((await run("import", path.join(root, "missing.json"))).stderr).toMatch(/^sourcebook: Cannot read .*missing\.json/);
    expect(fs.existsSync(fresh)).toBe(false);

    // Export only reads: without a library it says so, and creates none.
    expect((await run("export", "--last", "--format", "md")).stderr).toBe(`sourcebook: There is no library at ${fresh} yet; indexing a folder creates it.\n`);
    expect(fs.existsSync(fresh)).toBe(false);
    const empty = path.join(root, "no-notes");
    fs.mkdirSync(empty);
    expect((await runCli(["index", empty, "--db", fresh], { cwd: root, env })).code).toBe(0);
    expect((await run("export", "--last", "--format", "md")).stderr).toBe("sourcebook: There are no conversations yet.\n");
    expect((await cli("export", "999", "--format", "md")).stderr).toMatch(/There is no conversation 999/);
    expect((await cli("export", "1", "--format", "md", "--out", path.join(root, "no/such/dir.md"))).stderr).toMatch(/^sourcebook: Cannot write/);
  });

  it("the help lists the new commands", async () => {
    const help = (await runCli(["--help"], { env })).stdout;
    expect(help).toContain("sourcebook export <conversation-id|--last> --format md|html|json [--out FILE] [--db FILE]");
    expect(help).toContain("sourcebook chats [--db FILE] [--json]");
    expect(help).toContain("sourcebook import FILE [--db FILE] [--json]");
  });
});
