import { COMMANDS, type Io } from "./cli/commands.js";
import { parse, UsageError } from "./cli/args.js";
import { terminalText } from "./cli/terminal-text.js";
import { createServices, type Services, type ServicesOptions } from "./services.js";

const HELP = `Sourcebook: answers from your own notes, with their sources.

Usage:
${Object.values(COMMANDS).map((c) => "  " + c.usage.replaceAll("\n", "\n  ")).join("\n")}

The library is ${"$"}SOURCEBOOK_DB if set, else the desktop app's library in your user data folder.`;

/** Commands that only read the library: where there is none yet, they say so rather than create an empty one. */
const READ_ONLY = new Set(["search", "status", "chats", "export"]);

/** Runs one CLI invocation; returns the exit code: 0 success, 1 error, 2 usage. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(HELP + "\n");
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}".`);
    const args = parse(rest, command.options);
    let services: Services | undefined;
    // An embeddings endpoint's key comes from the flag or the environment, as ask's does; never from the app's store.
    const open = (options: ServicesOptions = {}) =>
      (services ??= createServices({
        embeddingApiKey: () => process.env.SOURCEBOOK_API_KEY,
        ...options,
        dbPath: args.values.db as string | undefined,
        create: !READ_ONLY.has(name),
      }));
    try {
      return await command.run(args, io, open);
    } finally {
      await services?.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sourcebook: ${terminalText(error.message)}\nUsage: ${command?.usage ?? "sourcebook --help"}\n`);
      return 2;
    }
    // Messages echo paths, note text and what a server said.
    io.stderr.write(`sourcebook: ${terminalText((error as Error).message.replaceAll("\n", " "))}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
