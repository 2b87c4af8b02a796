import { register, type Dictionary } from "./index.js";

type Key =
  | "firstrun.welcome"
  | "firstrun.tagline"
  | "firstrun.steps"
  | "firstrun.step"
  | "firstrun.step.folder"
  | "firstrun.step.model"
  | "firstrun.step.done"
  | "firstrun.folderTitle"
  | "firstrun.folderIntro"
  | "firstrun.folderAdded"
  | "firstrun.folderHint"
  | "firstrun.addAnother"
  | "firstrun.modelTitle"
  | "firstrun.modelIntro"
  | "firstrun.optionFile"
  | "firstrun.optionDownload"
  | "firstrun.optionRemote"
  | "firstrun.modelReady"
  | "firstrun.remoteReady"
  | "firstrun.doneTitle"
  | "firstrun.doneFolders"
  | "firstrun.doneIndexing"
  | "firstrun.doneModel"
  | "firstrun.doneRemote"
  | "firstrun.doneNoModel"
  | "firstrun.next"
  | "firstrun.back"
  | "firstrun.skipModel"
  | "firstrun.start";

export const firstrun: Dictionary<Key> = {
  en: {
    "firstrun.welcome": "Welcome to Sourcebook",
    "firstrun.tagline": "Ask questions and get answers from your own notes, with their sources. Everything stays on this computer.",
    "firstrun.steps": "Setup steps",
    "firstrun.step": "Step {n} of {total}",
    "firstrun.step.folder": "Your notes",
    "firstrun.step.model": "A model",
    "firstrun.step.done": "Ready",
    "firstrun.folderTitle": "Add your notes folder",
    "firstrun.folderIntro": "Choose the folder with your Markdown, text or HTML notes. Sourcebook indexes it and keeps up with changes. You can add more folders later.",
    "firstrun.folderAdded": "Added:",
    "firstrun.folderHint": "Indexing carries on in the background: you can go on while it works.",
    "firstrun.addAnother": "Add another folder…",
    "firstrun.modelTitle": "Get a language model",
    "firstrun.modelIntro": "A model writes answers from the passages it finds. You can skip this: search works without one.",
    "firstrun.optionFile": "I have a .gguf model file",
    "firstrun.optionDownload": "Download a model",
    "firstrun.optionRemote": "Use a server I run (OpenAI-compatible)",
    "firstrun.modelReady": "{name} is loaded and ready.",
    "firstrun.remoteReady": "Answers will come from {model}.",
    "firstrun.doneTitle": "You're all set",
    "firstrun.doneFolders": "One folder in your library.|{count} folders in your library.",
    "firstrun.doneIndexing": "Indexing is still running; search and answers grow as it goes.",
    "firstrun.doneModel": "Model: {name}",
    "firstrun.doneRemote": "Answers through {model} at {url}",
    "firstrun.doneNoModel": "No model yet: you can search your notes now and add a model any time on the Model page.",
    "firstrun.next": "Next",
    "firstrun.back": "Back",
    "firstrun.skipModel": "Skip for now",
    "firstrun.start": "Start using Sourcebook",
  },
  ru: {
    "firstrun.welcome": "Добро пожаловать в Sourcebook",
    "firstrun.tagline": "Задавайте вопросы и получайте ответы по своим заметкам, со ссылками на источники. Всё остаётся на этом компьютере.",
    "firstrun.steps": "Шаги настройки",
    "firstrun.step": "Шаг {n} из {total}",
    "firstrun.step.folder": "Заметки",
    "firstrun.step.model": "Модель",
    "firstrun.step.done": "Готово",
    "firstrun.folderTitle": "Добавьте папку с заметками",
    "firstrun.folderIntro": "Выберите папку с заметками в Markdown, тексте или HTML. Sourcebook проиндексирует её и будет следить за изменениями. Другие папки можно добавить позже.",
    "firstrun.folderAdded": "Добавлено:",
    "firstrun.folderHint": "Индексация идёт в фоне — можно продолжать, не дожидаясь её окончания.",
    "firstrun.addAnother": "Добавить ещё папку…",
    "firstrun.modelTitle": "Подключите языковую модель",
    "firstrun.modelIntro": "Модель пишет ответы по найденным фрагментам. Этот шаг можно пропустить: поиск работает и без модели.",
    "firstrun.optionFile": "У меня есть файл модели .gguf",
    "firstrun.optionDownload": "Скачать модель",
    "firstrun.optionRemote": "Использовать свой сервер (совместимый с OpenAI)",
    "firstrun.modelReady": "Модель {name} загружена и готова.",
    "firstrun.remoteReady": "Отвечать будет {model}.",
    "firstrun.doneTitle": "Всё готово",
    "firstrun.doneFolders": "В библиотеке {count} папка.|В библиотеке {count} папки.|В библиотеке {count} папок.",
    "firstrun.doneIndexing": "Индексация ещё идёт; поиск и ответы будут полнее по мере её хода.",
    "firstrun.doneModel": "Модель: {name}",
    "firstrun.doneRemote": "Ответы через {model} на {url}",
    "firstrun.doneNoModel": "Модели пока нет: искать по заметкам можно уже сейчас, а модель — добавить в любой момент на странице «Модель».",
    "firstrun.next": "Далее",
    "firstrun.back": "Назад",
    "firstrun.skipModel": "Пропустить",
    "firstrun.start": "Начать работу",
  },
};

register(firstrun);
