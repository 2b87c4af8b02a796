import type Database from "better-sqlite3";
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from "../../shared/settings.js";
import { describeIssues } from "../zod-issues.js";
import { LibraryError } from "../library/errors.js";

const KEYS = Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>;

/**
 * The person's settings, one row per changed key in the library database, merged over
 * DEFAULT_SETTINGS. A stored value that no longer validates (written by another version) falls
 * back to its default rather than breaking the app.
 */
export class SettingsStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      all: db.prepare("SELECT key, value FROM settings"),
      put: db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    };
  }

  get(): Settings {
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const { key, value } of this.q.all.all() as Array<{ key: string; value: string }>) {
      if (!(KEYS as string[]).includes(key)) continue;
      const parsed = settingsSchema.safeParse({ ...settings, [key]: JSON.parse(value) as unknown });
      if (parsed.success) settings[key] = parsed.data[key as keyof Settings];
    }
    return settings as Settings;
  }

  /** Validates the merged result as a whole, then stores the changed keys together. */
  set(patch: Partial<Settings>): Settings {
    const parsed = settingsSchema.safeParse({ ...this.get(), ...patch });
    if (!parsed.success) throw new LibraryError("BAD_INPUT", `Invalid settings: ${describeIssues(parsed.error)}`);
    this.db.transaction(() => {
      for (const key of KEYS) if (key in patch) this.q.put.run(key, JSON.stringify(parsed.data[key]));
    }).immediate();
    return parsed.data;
  }
}
