import type * as NodeLlamaCpp from "node-llama-cpp";

type Binding = typeof NodeLlamaCpp;
let binding: Binding | undefined;

/**
 * node-llama-cpp, loaded on first use: importing it takes a fifth of a second, which the CLI's
 * index, search and status commands (and the app's start) need not pay.
 */
export async function llamaBinding(): Promise<Binding> {
  return (binding ??= await import("node-llama-cpp"));
}

/** The binding if something has loaded it already; for names of its enums, which need no load. */
export function loadedBinding(): Binding | undefined {
  return binding;
}
