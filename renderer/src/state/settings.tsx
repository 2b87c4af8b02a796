// The person's settings, loaded once from main and shared by every view.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from "../../../shared/api.js";
import { call, useEvent } from "../api.js";

interface SettingsState {
  settings: Settings;
  /** False until main has answered; the app renders no view before, so views never see the defaults. */
  loaded: boolean;
  /** Why main could not give the settings (the app cannot start), described by whoever shows it; null when it did. */
  error: unknown;
  /** Saves a change; main validates it and returns the settings as stored. */
  update(patch: SettingsPatch): Promise<void>;
}

const SettingsContext = createContext<SettingsState>({ settings: DEFAULT_SETTINGS, loaded: false, error: null, update: async () => {} });

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** A settings.changed came first: it is newer than what a slow settings.get returns. */
  const changed = useRef(false);
  useEffect(() => {
    call("settings.get", {})
      .then((stored) => {
        if (!changed.current) setSettings(stored);
        setLoaded(true);
      })
      .catch((cause: unknown) => setError(cause));
  }, []);
  // A change made in another window (or by this one) arrives as the settings main stored.
  useEvent("settings.changed", (stored) => {
    changed.current = true;
    setSettings(stored);
  });
  const update = useCallback(async (patch: SettingsPatch) => {
    setSettings(await call("settings.set", patch));
  }, []);
  return <SettingsContext.Provider value={{ settings, loaded, error, update }}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsState {
  return useContext(SettingsContext);
}
