// The app's root: settings and app info from main, then the UI language and theme they choose,
// then the first-run screen or the main window.
import { useEffect, useState, type ReactNode } from "react";
import type { AppInfo } from "../../shared/api.js";
import { call } from "./api.js";
import { uiLanguage } from "../../shared/ui-language.js";
import { Shell } from "./app/Shell.js";
import { useTheme } from "./app/useTheme.js";
import { FirstRun } from "./firstrun/FirstRun.js";
import { chat } from "./i18n/chat.js";
import { LanguageContext, register, translate, type Language } from "./i18n/index.js";
import { SettingsProvider, useSettings } from "./state/settings.js";
import { messageOf } from "./ui/format.js";

register(chat);

/** Waits for the settings: before them, the language and theme would be the defaults, and flash. */
function Root(): ReactNode {
  const { loaded, error } = useSettings();
  if (error !== null) {
    const language = uiLanguage("auto", navigator.language);
    return <StartFailed language={language} message={messageOf(error, language)} />;
  }
  return loaded ? <Window /> : null;
}

function StartFailed({ language, message }: { language: Language; message: string }): ReactNode {
  return (
    <p className="startup error" role="alert">
      {translate(language, "shell.startFailed", { message })}
    </p>
  );
}

function Window(): ReactNode {
  const { settings } = useSettings();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [firstRunDone, setFirstRunDone] = useState(false);
  useEffect(() => {
    call("app.info", {})
      .then(setInfo)
      .catch((cause: unknown) => setFailure(cause));
  }, []);
  const language = uiLanguage(settings.language, info?.osLanguage ?? navigator.language);
  useTheme(settings.theme);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  let content: ReactNode;
  if (failure !== null) content = <StartFailed language={language} message={messageOf(failure, language)} />;
  else if (!info) content = <p className="startup" aria-busy="true">{translate(language, "shell.loading")}</p>;
  else if (info.firstRun && !firstRunDone) content = <FirstRun onDone={() => setFirstRunDone(true)} />;
  else content = <Shell mac={info.platform === "darwin"} />;
  return <LanguageContext.Provider value={language}>{content}</LanguageContext.Provider>;
}

export function App(): ReactNode {
  return (
    <SettingsProvider>
      <Root />
    </SettingsProvider>
  );
}
