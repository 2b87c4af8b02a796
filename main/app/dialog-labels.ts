// The native dialogs' words in the UI's two languages, chosen as the menus choose theirs
// (menu-labels.ts). Free of electron, so they are tested without it.
import type { Settings } from "../../shared/api.js";
import { uiLanguage } from "../../shared/ui-language.js";

export interface DialogLabels {
  addFolder: string;
  chooseModel: string;
  ggufModel: string;
  importChat: string;
  exportChat: string;
  markdown: string;
  webPage: string;
  transcript: string;
  endpointTitle: string;
  endpointMessage(url: string): string;
  endpointDetail: string;
  embeddingsTitle: string;
  embeddingsMessage(url: string): string;
  embeddingsDetail: string;
  useEndpoint: string;
  cancel: string;
}

const LABELS: Record<"en" | "ru", DialogLabels> = {
  en: {
    addFolder: "Add a notes folder",
    chooseModel: "Choose a model",
    ggufModel: "GGUF model",
    importChat: "Import a chat",
    exportChat: "Export chat",
    markdown: "Markdown",
    webPage: "Web page",
    transcript: "Sourcebook transcript (JSON)",
    endpointTitle: "Answer through another server?",
    endpointMessage: (url) => `Send your questions, and the passages of your notes that match them, to ${url}?`,
    endpointDetail: "Sourcebook will answer through this server instead of the model on this computer. Choose it only if you trust the server.",
    embeddingsTitle: "Embed your notes on another server?",
    embeddingsMessage: (url) => `Send the text of all your notes, and every search, to ${url}?`,
    embeddingsDetail: "Semantic search needs each passage of your notes embedded: this server will receive all of them, and each question you search for. Choose it only if you trust the server.",
    useEndpoint: "Use this server",
    cancel: "Cancel",
  },
  ru: {
    addFolder: "Добавить папку с заметками",
    chooseModel: "Выбрать модель",
    ggufModel: "Модель GGUF",
    importChat: "Импорт чата",
    exportChat: "Экспорт чата",
    markdown: "Markdown",
    webPage: "Веб-страница",
    transcript: "Чат Sourcebook (JSON)",
    endpointTitle: "Отвечать через другой сервер?",
    endpointMessage: (url) => `Отправлять ваши вопросы и подходящие к ним фрагменты заметок на ${url}?`,
    endpointDetail: "Sourcebook будет отвечать через этот сервер, а не моделью на этом компьютере. Выбирайте его, только если доверяете серверу.",
    embeddingsTitle: "Векторизовать заметки на другом сервере?",
    embeddingsMessage: (url) => `Отправлять текст всех ваших заметок и каждый поисковый запрос на ${url}?`,
    embeddingsDetail: "Для смыслового поиска каждый фрагмент заметок превращается в вектор: этот сервер получит их все и каждый ваш запрос. Выбирайте его, только если доверяете серверу.",
    useEndpoint: "Использовать этот сервер",
    cancel: "Отмена",
  },
};

/** The labels for the UI's language, chosen as the renderer chooses it. */
export function dialogLabels(language: Settings["language"], osLocale: string): DialogLabels {
  return LABELS[uiLanguage(language, osLocale)];
}
