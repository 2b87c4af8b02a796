import type { TranscriptFormat } from "../../shared/api.js";

/**
 * What the API needs from the desktop shell: facts about the app and the OS, native dialogs, and
 * handing paths and URLs to the OS. main/app implements it with Electron; tests record the calls.
 * Dialogs resolve null when the person cancels.
 */
export interface Platform {
  appVersion: string;
  /** A BCP 47 tag such as "ru-RU", for the "auto" UI language. */
  osLanguage: string;
  /** process.platform of the machine the app runs on. */
  platform: string;
  pickFolder(): Promise<string | null>;
  pickModelFile(): Promise<string | null>;
  /** A JSON transcript to import. */
  pickTranscriptFile(): Promise<string | null>;
  saveFile(defaultName: string, format: TranscriptFormat): Promise<string | null>;
  /** Opens a file in its default app. */
  openPath(path: string): Promise<void>;
  showItemInFolder(path: string): void;
  openExternal(url: string): Promise<void>;
  /**
   * Asks the person, in a native dialog, whether questions and the matching passages of their
   * notes (for answers), or every note's text and every search (for embeddings), may go to this
   * endpoint; true when they agree.
   */
  confirmEndpoint(url: string, purpose?: "answers" | "embeddings"): Promise<boolean>;
}
