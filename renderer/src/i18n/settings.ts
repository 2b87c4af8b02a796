import { register, type Dictionary } from "./index.js";

type Key =
  | "settings.title"
  | "settings.appearance"
  | "settings.language"
  | "settings.language.auto"
  | "settings.theme"
  | "settings.theme.system"
  | "settings.theme.light"
  | "settings.theme.dark"
  | "settings.generation"
  | "settings.generationIntro"
  | "settings.temperature"
  | "settings.temperatureHelp"
  | "settings.topK"
  | "settings.topKHelp"
  | "settings.documents"
  | "settings.documentsHelp"
  | "settings.model"
  | "settings.contextSize"
  | "settings.contextSizeHelp"
  | "settings.contextAuto"
  | "settings.maxAnswerTokens"
  | "settings.maxAnswerTokensHelp"
  | "settings.gpu"
  | "settings.gpuHelp"
  | "settings.gpu.auto"
  | "settings.gpu.cpu"
  | "settings.invalidNumber"
  | "settings.invalidInteger"
  | "settings.saved";

export const settings: Dictionary<Key> = {
  en: {
    "settings.title": "Settings",
    "settings.appearance": "Appearance",
    "settings.language": "Language",
    "settings.language.auto": "Same as the system",
    "settings.theme": "Theme",
    "settings.theme.system": "Same as the system",
    "settings.theme.light": "Light",
    "settings.theme.dark": "Dark",
    "settings.generation": "Answers",
    "settings.generationIntro": "How the model writes answers. These apply to the next question.",
    "settings.temperature": "Temperature",
    "settings.temperatureHelp": "Lower keeps answers close to the notes; higher varies the wording. 0–2.",
    "settings.topK": "Top-k",
    "settings.topKHelp": "How many likely next words the model picks from. 1–200.",
    "settings.documents": "Passages per question",
    "settings.documentsHelp": "How many matching passages from your notes are looked up; as many of them as fit the context are sent to the model. More is slower. 1–20.",
    "settings.maxAnswerTokens": "Longest answer (tokens)",
    "settings.maxAnswerTokensHelp": "Room kept free in the context for the answer, at most a quarter of it; a longer answer is cut there. 1–16384.",
    "settings.model": "Loading the model",
    "settings.contextSize": "Context size (tokens)",
    "settings.contextSizeHelp": "How much text the model can hold at once: the question, the passages sent and the answer. Applies the next time a model loads.",
    "settings.contextAuto": "Choose the context size automatically, from {min} to {max} tokens, as memory allows",
    "settings.gpu": "GPU backend",
    "settings.gpuHelp": "Applies the next time a model loads.",
    "settings.gpu.auto": "Automatic",
    "settings.gpu.cpu": "CPU only",
    "settings.invalidNumber": "Enter a number from {min} to {max}.",
    "settings.invalidInteger": "Enter a whole number from {min} to {max}.",
    "settings.saved": "Saved",
  },
  ru: {
    "settings.title": "Настройки",
    "settings.appearance": "Внешний вид",
    "settings.language": "Язык",
    "settings.language.auto": "Как в системе",
    "settings.theme": "Тема",
    "settings.theme.system": "Как в системе",
    "settings.theme.light": "Светлая",
    "settings.theme.dark": "Тёмная",
    "settings.generation": "Ответы",
    "settings.generationIntro": "Как модель пишет ответы. Изменения действуют со следующего вопроса.",
    "settings.temperature": "Температура",
    "settings.temperatureHelp": "Чем ниже, тем ближе ответ к тексту заметок; чем выше, тем разнообразнее формулировки. От 0 до 2.",
    "settings.topK": "Top-k",
    "settings.topKHelp": "Из скольких самых вероятных слов модель выбирает следующее. От 1 до 200.",
    "settings.documents": "Фрагментов на вопрос",
    "settings.documentsHelp": "Сколько подходящих фрагментов заметок ищется; модели отправляются те, что помещаются в контекст. Чем больше, тем медленнее. От 1 до 20.",
    "settings.maxAnswerTokens": "Самый длинный ответ (токены)",
    "settings.maxAnswerTokensHelp": "Сколько места в контексте оставляется для ответа, не больше четверти; более длинный ответ обрывается. От 1 до 16384.",
    "settings.model": "Загрузка модели",
    "settings.contextSize": "Размер контекста (токены)",
    "settings.contextSizeHelp": "Сколько текста модель удерживает одновременно: вопрос, отправленные фрагменты и ответ. Действует при следующей загрузке модели.",
    "settings.contextAuto": "Выбирать размер контекста автоматически, от {min} до {max} токенов, по свободной памяти",
    "settings.gpu": "Видеокарта",
    "settings.gpuHelp": "Действует при следующей загрузке модели.",
    "settings.gpu.auto": "Автоматически",
    "settings.gpu.cpu": "Только процессор",
    "settings.invalidNumber": "Введите число от {min} до {max}.",
    "settings.invalidInteger": "Введите целое число от {min} до {max}.",
    "settings.saved": "Сохранено",
  },
};

register(settings);
