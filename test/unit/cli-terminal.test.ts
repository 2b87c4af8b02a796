import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskResult, ConversationSummary } from "../../shared/chat.js";
import { exportCommand } from "../../main/cli/transcripts.js";
import { createServices } from "../../main/services.js";
import { startScriptedServer, type ScriptedServer } from "../fixtures/scripted-openai.js";
import { CLI, runCli, tempDir, waitFor, writeFiles, type CliResult } from "../helpers.js";

// What a hostile note can hold: a clipboard write (OSC 52, "echo pwned"), colours, a window title
// and a right-to-left override that makes "rtl\u202Egnp.exe.md" read as "rtldm.exe.png".
const OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
const TITLE = "\x1b]0;pwned\x1b\\";
const RED = "\x1b[31m";
const RESET = "\x1b[0m";
const RLO = "\u202E";
const HOSTILE = `${OSC52}${RED}red${RESET}${TITLE} rtl${RLO}gnp`;
/** What the terminal shows of HOSTILE. */
const SHOWN = "red rtl\\u202Egnp";
/** And of HOSTILE where the CLI quotes a path as JSON, which writes C0 controls as \u escapes. */
const QUOTED = "\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u001b[31mred\\u001b[0m\\u001b]0;pwned\\u001b\\\\ rtl\\u202Egnp";

/** No escape, BEL or other control but \n and \t, no raw bidi control: nothing a terminal would act on. */
function expectInert(output: string): void {
  // eslint-disable-next-line no-control-regex -- the controls are what this looks for
  expect(output).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
}

function ok(result: CliResult): string {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expectInert(result.stdout);
  return result.stdout;
}

let root: string;
let notes: string;
let db: string;
let env: NodeJS.ProcessEnv;
let server: ScriptedServer;
const note = () => path.join(notes, `rtl${RLO}gnp.exe ${OSC52}${RED}x${RESET}.md`);
const cli = (...args: string[]) => runCli([...args, "--db", db], { cwd: root, env });

// The streamed answer, a sequence split across pieces as a server may send it.
const TOKENS = ["Cats sleep ", "\x1b]5", "2;c;ZWNo", "byBwd25lZA==", "\x07on ", "\x1b[3", "1mwindowsills", "\x1b[0m ", "rtl", RLO, "gnp", "\x1b]0;pw", "ned\x1b", "\\ [1]."];

beforeAll(async () => {
  root = fs.realpathSync(tempDir());
  notes = path.join(root, "notes");
  writeFiles(notes, { "garden.md": "# Garden\n\nTomatoes need sunshine.\n" });
  fs.writeFileSync(note(), `# Cats ${HOSTILE}\n\nCats sleep on windowsills ${OSC52} ${RED}loudly${RESET} ${RLO}evil\n`);
  // A link to itself fails to index, so that its name is listed as failed.
  fs.symlinkSync(`loop ${HOSTILE}.md`, path.join(notes, `loop ${HOSTILE}.md`));
  db = path.join(root, "lib.db");
  env = { ...process.env, HOME: root, XDG_CONFIG_HOME: path.join(root, "config"), SOURCEBOOK_DB: path.join(root, "default.db") };
  server = await startScriptedServer({ relevantDocIds: [0], tokens: TOKENS, tokensPerSecond: 200 });
});
afterAll(() => server.close());

describe("the CLI shows notes' and servers' text without its control sequences", () => {
  it("index, search and status: titles, paths, snippets and failed files", async () => {
    const index = ok(await cli("index", notes));
    expect(index).toContain(`failed  "${path.join(notes, `loop ${QUOTED}.md`)}": symbolic link loop`);

    const search = ok(await cli("search", "windowsills"));
    expect(search).toMatch(/^1\. Cats red rtl\\u202Egnp\n/);
    expect(search).toContain(`${path.join(notes, "rtl\\u202Egnp.exe x.md")}:1-3`);
    expect(search).toContain("Cats sleep on [windowsills]  loudly \\u202Eevil");

    const status = ok(await cli("status"));
    expect(status).toContain(`failed "${path.join(notes, `loop ${QUOTED}.md`)}": symbolic link loop`);

    // JSON stays exact and inert: every control and bidi mark is a \u escape, which parses back.
    const hits = JSON.parse(ok(await cli("search", "windowsills", "--json"))) as { path: string; title: string }[];
    expect(hits[0]).toMatchObject({ path: note(), title: `Cats ${HOSTILE}` });
  });

  it("ask: the streamed answer, even with a sequence split across pieces, and its sources", async () => {
    const question = `Windowsills? ${HOSTILE}`;
    const answer = ok(await cli("ask", question, "--endpoint", server.url, "--model-name", "scripted"));
    expect(answer).toMatch(/^Cats sleep on windowsills rtl\\u202Egnp \[1\]\.\n\nSources:\n\[1\] Cats red rtl\\u202Egnp\n {4}/);
    expect(answer).toContain(path.join(notes, "rtl\\u202Egnp.exe x.md"));

    const json = JSON.parse((await cli("ask", question, "--endpoint", server.url, "--model-name", "scripted", "--json")).stdout) as AskResult;
    expect(json.answer).toBe(TOKENS.join(""));
    expect(json.citations[0]!.path).toBe(note());
  });

  it("chats, import and models list: conversation titles and file names", async () => {
    const chats = ok(await cli("chats"));
    expect(chats).toContain(`Windowsills? ${SHOWN}\n`);
    const [latest] = JSON.parse((await cli("chats", "--json")).stdout) as ConversationSummary[];
    expect(latest!.title).toContain(HOSTILE);

    const file = path.join(root, "chat.json");
    expect((await cli("export", String(latest!.id), "--format", "json", "--out", file)).code).toBe(0);
    // The title quoted as JSON: its bidi control, which JSON leaves as it is, is still shown as an escape.
    expect(ok(await cli("import", file))).toContain(`: "Windowsills? ${QUOTED}" (1 question).`);

    const models = path.join(root, "models");
    writeFiles(models, { [`rtl${RLO}fuu.gguf ${OSC52}.gguf`]: "GGUF" });
    expect(ok(await runCli(["models", "list", "--dir", models], { env }))).toContain("  rtl\\u202Efuu.gguf .gguf (0.00 GB)");
  });

  it("errors that echo a path", async () => {
    const missing = path.join(root, `missing ${HOSTILE}.json`);
    const result = await cli("import", missing);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sourcebook: Cannot read .*missing red rtl\\u202Egnp\.json/);
    expectInert(result.stderr);
  });

  it("watch: the change log", async () => {
    const child = spawn(process.execPath, [CLI, "watch", notes, "--db", db], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise((resolve) => child.on("close", resolve));
    try {
      await waitFor(() => stdout.includes("Press Ctrl+C to stop."), 20_000, "the watcher to start");
      fs.writeFileSync(path.join(notes, `new ${HOSTILE}.md`), `# New ${HOSTILE}\n\nFresh words.\n`);
      await waitFor(() => stdout.includes(`new ${QUOTED}.md"`), 20_000, "the new note in the change log");
    } finally {
      child.kill("SIGINT");
      await closed;
    }
    expectInert(stdout);
    expectInert(stderr);
  });
});

describe("sourcebook export", () => {
  it("keeps a transcript exact in a file or a pipe, and shows it on a terminal without its controls", async () => {
    const services = createServices({ dbPath: path.join(root, "export.db") });
    const c = services.conversations.create(`Cats ${HOSTILE}`);
    try {
      const run = async (isTTY: boolean, format: string) => {
        let written = "";
        const stdout = { isTTY, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream;
        const code = await exportCommand.run({ values: { format }, positionals: [String(c.id)] }, { stdout, stderr: stdout }, () => services);
        expect(code).toBe(0);
        return written;
      };
      // Markdown escapes the brackets of the sequences, but their controls pass.
      expect(await run(false, "md")).toContain("# Cats \x1b]52;c;ZWNobyBwd25lZA==\x07\x1b\\[31mred");
      const shown = await run(true, "md");
      expect(shown).toContain("# Cats ");
      expectInert(shown);
      expect(await run(true, "json")).toContain(JSON.stringify(`Cats ${HOSTILE}`));
    } finally {
      await services.close();
    }
  });
});
