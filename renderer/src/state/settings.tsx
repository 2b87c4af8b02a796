// The person's settings, loaded once from main and shared by every view.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { DEFAULT_SETTINGS, type Settings } from "../../../shared/api.js";
import { call, useEvent } from "../api.js";

interface SettingsState {
  settings: Settings;
  /** False until main has answered: views should not act on the defaults. */
  loaded: boolean;
  /** Saves a change; main validates it and returns the settings as stored. */
  update(patch: Partial<Settings>): Promise<void>;
}

const SettingsContext = createContext<SettingsState>({ settings: DEFAULT_SETTINGS, loaded: false, update: async () => {} });

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void call("settings.get", {}).then((stored) => {
      setSettings(stored);
      setLoaded(true);
    });
  }, []);
  // A change made in another window (or by this one) arrives as the settings main stored.
  useEvent("settings.changed", setSettings);
  const update = useCallback(async (patch: Partial<Settings>) => {
    setSettings(await call("settings.set", patch));
  }, []);
  return <SettingsContext.Provider value={{ settings, loaded, update }}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsState {
  return useContext(SettingsContext);
}
