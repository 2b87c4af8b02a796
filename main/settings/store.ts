import type Database from "better-sqlite3";
import { DEFAULT_SETTINGS, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch, type StoredSettings } from "../../shared/settings.js";
import { LibraryError } from "../library/errors.js";
import { describeIssues } from "../zod-issues.js";
import type { SecretSealer } from "./secrets.js";

const KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof StoredSettings>;
/** The endpoint's API key, sealed; a row of its own, so the settings' JSON never holds it. */
const API_KEY_ROW = "secret:remote.apiKey";
/** The embeddings endpoint's key, sealed, with the endpoint it is for. */
const EMBEDDING_KEY_ROW = "secret:embeddings.apiKey";

interface EndpointKey {
  baseUrl: string;
  key: string;
}

/** Same server, however the address was written. */
export function sameEndpoint(a: string, b: string): boolean {
  return new URL(a).href.replace(/\/+$/, "") === new URL(b).href.replace(/\/+$/, "");
}

/**
 * The person's settings, one row per changed key in the library database, merged over
 * DEFAULT_SETTINGS. A stored value that no longer validates (written by another version) falls
 * back to its default rather than breaking the app.
 *
 * The endpoint's API key is sealed by the sealer the app gives (Electron's safeStorage), and only
 * main ever reads it back: windows learn whether there is one. Without a sealer that protects
 * anything, a key is kept in memory for this run only, never written. The CLI has no sealer: it
 * neither reads nor writes the app's key, and takes one from its flag or the environment.
 */
export class SettingsStore {
  private readonly q;
  private sessionKey: string | null = null;
  private sessionEmbeddingKey: EndpointKey | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly sealer?: SecretSealer,
  ) {
    this.q = {
      all: db.prepare("SELECT key, value FROM settings"),
      get: db.prepare("SELECT value FROM settings WHERE key = ?"),
      put: db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      remove: db.prepare("DELETE FROM settings WHERE key = ?"),
    };
    if (sealer) this.sealPlainKey();
  }

  /** The settings as windows see them: the endpoint says whether it has a key, never which. */
  get(): Settings {
    const stored = this.stored();
    const hasApiKey = this.remoteApiKey() !== null;
    return { ...stored, remote: stored.remote && { ...stored.remote, hasApiKey, apiKeySaved: hasApiKey && this.sessionKey === null } };
  }

  /** Validates the merged result as a whole, then stores the changed keys together. */
  set(patch: SettingsPatch): Settings {
    const input = settingsPatchSchema.safeParse(patch);
    if (!input.success) throw new LibraryError("BAD_INPUT", `Invalid settings: ${describeIssues(input.error)}`);
    const { remote, ...rest } = input.data;
    const apiKey = remote?.apiKey;
    const changes: Partial<StoredSettings> = { ...rest };
    if (remote !== undefined) changes.remote = remote && { enabled: remote.enabled, baseUrl: remote.baseUrl, model: remote.model, contextSize: remote.contextSize };
    const parsed = settingsSchema.safeParse({ ...this.stored(), ...changes });
    if (!parsed.success) throw new LibraryError("BAD_INPUT", `Invalid settings: ${describeIssues(parsed.error)}`);
    this.db.transaction(() => {
      for (const key of KEYS) if (key in changes) this.q.put.run(key, JSON.stringify(parsed.data[key]));
      // Removing the endpoint removes its key; a patch without apiKey keeps the key there is.
      if (remote === null || apiKey === null) this.storeKey(null);
      else if (apiKey !== undefined) this.storeKey(apiKey);
    }).immediate();
    return this.get();
  }

  /** The endpoint's key, for main's requests to it only. */
  remoteApiKey(): string | null {
    if (this.sessionKey !== null) return this.sessionKey;
    if (!this.sealer) return null;
    const row = this.q.get.get(API_KEY_ROW) as { value: string } | undefined;
    if (!row) return null;
    try {
      return this.sealer.open((JSON.parse(row.value) as { sealed: string }).sealed);
    } catch {
      // Sealed on another computer or by another user: the key cannot be read back here.
      return null;
    }
  }

  /**
   * The embeddings endpoint's key, for main's requests to that endpoint only: a key given for one
   * server never goes to another. Sealed as the chat endpoint's is, or held for this run.
   */
  embeddingApiKey(baseUrl: string): string | null {
    const held = this.sessionEmbeddingKey ?? this.sealedEmbeddingKey();
    return held && sameEndpoint(held.baseUrl, baseUrl) ? held.key : null;
  }

  setEmbeddingApiKey(baseUrl: string, key: string | null): void {
    this.sessionEmbeddingKey = null;
    if (key === null || !this.sealer?.available()) {
      this.q.remove.run(EMBEDDING_KEY_ROW);
      this.sessionEmbeddingKey = key === null ? null : { baseUrl, key };
      return;
    }
    this.q.put.run(EMBEDDING_KEY_ROW, JSON.stringify({ baseUrl, sealed: this.sealer.seal(key) }));
  }

  /** Whether the embeddings key outlives this run (false: no protected storage here). */
  embeddingApiKeySaved(): boolean {
    return this.sessionEmbeddingKey === null && this.sealedEmbeddingKey() !== null;
  }

  private sealedEmbeddingKey(): EndpointKey | null {
    const row = this.q.get.get(EMBEDDING_KEY_ROW) as { value: string } | undefined;
    if (!row || !this.sealer) return null;
    try {
      const { baseUrl, sealed } = JSON.parse(row.value) as { baseUrl: string; sealed: string };
      return { baseUrl, key: this.sealer.open(sealed) };
    } catch {
      return null;
    }
  }

  private stored(): StoredSettings {
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const { key, value } of this.q.all.all() as Array<{ key: string; value: string }>) {
      if (!(KEYS as string[]).includes(key)) continue;
      const candidate = withoutPlainKey(key, JSON.parse(value) as unknown);
      const parsed = settingsSchema.safeParse({ ...settings, [key]: candidate });
      if (parsed.success) settings[key] = parsed.data[key as keyof StoredSettings];
    }
    return settings as StoredSettings;
  }

  private storeKey(key: string | null): void {
    this.sessionKey = null;
    if (key === null || !this.sealer?.available()) {
      this.q.remove.run(API_KEY_ROW);
      this.sessionKey = key;
      return;
    }
    this.q.put.run(API_KEY_ROW, JSON.stringify({ sealed: this.sealer.seal(key) }));
  }

  /**
   * Earlier versions kept the endpoint's key in plain text inside the "remote" setting: it is
   * sealed now (or, with no protected storage, held for this run), and the plain text removed.
   */
  private sealPlainKey(): void {
    const row = this.q.get.get("remote") as { value: string } | undefined;
    const remote = row && (JSON.parse(row.value) as { apiKey?: unknown } | null);
    if (!remote || !("apiKey" in remote)) return;
    const { apiKey, ...rest } = remote;
    // SQLite leaves the old bytes of a rewritten row in the page and in the write-ahead log:
    // secure_delete zeroes them, and the checkpoint takes the old page images out of the log.
    const secureDelete = this.db.pragma("secure_delete", { simple: true }) as number;
    this.db.pragma("secure_delete = ON");
    try {
      this.db.transaction(() => {
        this.q.put.run("remote", JSON.stringify(rest));
        if (typeof apiKey === "string" && apiKey) this.storeKey(apiKey);
      }).immediate();
      this.db.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      this.db.pragma(`secure_delete = ${secureDelete}`);
    }
  }
}

/** A "remote" row written before keys were sealed still holds its endpoint, whatever its key. */
function withoutPlainKey(key: string, value: unknown): unknown {
  if (key !== "remote" || value === null || typeof value !== "object" || !("apiKey" in value)) return value;
  const rest: Record<string, unknown> = { ...value };
  delete rest.apiKey;
  return rest;
}
