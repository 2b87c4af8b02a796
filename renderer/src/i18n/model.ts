import { register, type Dictionary } from "./index.js";

type Key =
  | "model.title"
  | "model.intro"
  | "model.status"
  | "model.state.unloaded"
  | "model.state.loading"
  | "model.state.ready"
  | "model.state.failed"
  | "model.none"
  | "model.noneHint"
  | "model.loadProgress"
  | "model.loadPercent"
  | "model.backend"
  | "model.backend.cpu"
  | "model.gpus"
  | "model.vram"
  | "model.vramValue"
  | "model.layers"
  | "model.layersValue"
  | "model.context"
  | "model.contextValue"
  | "model.contextAuto"
  | "model.contextChosen"
  | "model.threads"
  | "model.file"
  | "model.architecture"
  | "model.parameters"
  | "model.quantization"
  | "model.size"
  | "model.trained"
  | "model.unknown"
  | "model.error"
  | "model.choose"
  | "model.loading"
  | "model.unload"
  | "model.unloading"
  | "model.loadWith"
  | "catalog.title"
  | "catalog.intro"
  | "catalog.download"
  | "catalog.downloaded"
  | "catalog.load"
  | "catalog.cancel"
  | "catalog.starting"
  | "catalog.progressLabel"
  | "catalog.progress"
  | "catalog.failed"
  | "catalog.empty"
  | "catalog.size"
  | "remote.title"
  | "remote.intro"
  | "remote.enabled"
  | "remote.baseUrl"
  | "remote.model"
  | "remote.apiKey"
  | "remote.apiKeyHelp"
  | "remote.apiKeySet"
  | "remote.apiKeySession"
  | "remote.removeKey"
  | "remote.save"
  | "remote.saved"
  | "remote.remove"
  | "remote.active"
  | "remote.invalidUrl"
  | "remote.needModel"
  | "remote.contextSize"
  | "remote.contextSizeHelp"
  | "remote.invalidContext";

export const model: Dictionary<Key> = {
  en: {
    "model.title": "Model",
    "model.intro": "The language model that writes answers. It runs on this computer; your notes never leave it.",
    "model.status": "Model status",
    "model.state.unloaded": "No model loaded",
    "model.state.loading": "Loading",
    "model.state.ready": "Ready",
    "model.state.failed": "Failed to load",
    "model.none": "No model is loaded.",
    "model.noneHint": "Search works without one. To ask questions, choose a .gguf file, download one below, or use an endpoint.",
    "model.loadProgress": "Model loading progress",
    "model.loadPercent": "Loading… {percent}%",
    "model.backend": "Backend",
    "model.backend.cpu": "CPU only",
    "model.gpus": "GPU",
    "model.vram": "Video memory",
    "model.vramValue": "{used} of {total} used",
    "model.layers": "Layers on the GPU",
    "model.layersValue": "{offloaded} of {total}",
    "model.context": "Context",
    "model.contextValue": "{tokens} token|{tokens} tokens",
    "model.contextAuto": "automatic, {min}–{max} tokens as memory allows",
    "model.contextChosen": "{size}, chosen automatically",
    "model.threads": "CPU threads",
    "model.file": "File",
    "model.architecture": "Architecture",
    "model.parameters": "Parameters",
    "model.quantization": "Quantization",
    "model.size": "Size",
    "model.trained": "Trained context",
    "model.unknown": "unknown",
    "model.error": "The model could not be loaded",
    "model.choose": "Choose a .gguf file…",
    "model.loading": "Loading…",
    "model.unload": "Unload",
    "model.unloading": "Unloading…",
    "model.loadWith": "Loads with GPU: {gpu}, context: {context} (change in Settings).",
    "catalog.title": "Download a model",
    "catalog.intro": "Small models that work well for answering from notes.",
    "catalog.download": "Download",
    "catalog.downloaded": "Downloaded",
    "catalog.load": "Load",
    "catalog.cancel": "Cancel download",
    "catalog.starting": "Starting the download…",
    "catalog.progressLabel": "Downloading {name}",
    "catalog.progress": "{done} of {total}",
    "catalog.failed": "Download failed: {message}",
    "catalog.empty": "The catalog is empty.",
    "catalog.size": "about {size}",
    "remote.title": "Use an endpoint instead",
    "remote.intro": "Any OpenAI-compatible server (llama.cpp server, Ollama, LM Studio, vLLM…). Your question and the matching passages are sent to it.",
    "remote.enabled": "Answer through this endpoint",
    "remote.baseUrl": "Base URL",
    "remote.model": "Model name",
    "remote.apiKey": "API key",
    "remote.apiKeyHelp": "Optional. Kept in your system's secure storage, and sent only to this server.",
    "remote.apiKeySet": "A key is saved in your system's secure storage. Type a new one to replace it.",
    "remote.apiKeySession": "A key is set, but this computer has no secure storage for it: it is kept until Sourcebook quits.",
    "remote.removeKey": "Remove the key",
    "remote.save": "Save endpoint",
    "remote.saved": "Endpoint saved.",
    "remote.remove": "Remove endpoint",
    "remote.active": "Answers come from {model} at {url}.",
    "remote.invalidUrl": "Enter an http:// or https:// address.",
    "remote.needModel": "Enter the model's name.",
    "remote.contextSize": "Server's context (tokens)",
    "remote.contextSizeHelp": "The context the server was started with (vLLM's --max-model-len, llama.cpp's --ctx-size). The question, the passages and the answer are fitted into it.",
    "remote.invalidContext": "Enter a whole number from {min} to {max}.",
  },
  ru: {
    "model.title": "Модель",
    "model.intro": "Языковая модель, которая пишет ответы. Она работает на этом компьютере, и заметки никуда не уходят.",
    "model.status": "Состояние модели",
    "model.state.unloaded": "Модель не загружена",
    "model.state.loading": "Загрузка",
    "model.state.ready": "Готова",
    "model.state.failed": "Не удалось загрузить",
    "model.none": "Модель не загружена.",
    "model.noneHint": "Поиск работает и без неё. Чтобы задавать вопросы, выберите файл .gguf, скачайте модель ниже или подключите сервер.",
    "model.loadProgress": "Загрузка модели",
    "model.loadPercent": "Загружаем… {percent}%",
    "model.backend": "Вычисления",
    "model.backend.cpu": "Только процессор",
    "model.gpus": "Видеокарта",
    "model.vram": "Видеопамять",
    "model.vramValue": "занято {used} из {total}",
    "model.layers": "Слои на видеокарте",
    "model.layersValue": "{offloaded} из {total}",
    "model.context": "Контекст",
    "model.contextValue": "{tokens} токен|{tokens} токена|{tokens} токенов",
    "model.contextAuto": "автоматически, {min}–{max} токенов по свободной памяти",
    "model.contextChosen": "{size}, выбран автоматически",
    "model.threads": "Потоки процессора",
    "model.file": "Файл",
    "model.architecture": "Архитектура",
    "model.parameters": "Параметры",
    "model.quantization": "Квантование",
    "model.size": "Размер",
    "model.trained": "Контекст обучения",
    "model.unknown": "неизвестно",
    "model.error": "Не удалось загрузить модель",
    "model.choose": "Выбрать файл .gguf…",
    "model.loading": "Загружаем…",
    "model.unload": "Выгрузить",
    "model.unloading": "Выгружаем…",
    "model.loadWith": "Загрузка с параметрами — видеокарта: {gpu}, контекст: {context} (меняются в настройках).",
    "catalog.title": "Скачать модель",
    "catalog.intro": "Небольшие модели, которые хорошо отвечают по заметкам.",
    "catalog.download": "Скачать",
    "catalog.downloaded": "Скачана",
    "catalog.load": "Загрузить",
    "catalog.cancel": "Отменить загрузку",
    "catalog.starting": "Начинаем скачивание…",
    "catalog.progressLabel": "Скачивание {name}",
    "catalog.progress": "{done} из {total}",
    "catalog.failed": "Не удалось скачать: {message}",
    "catalog.empty": "Каталог пуст.",
    "catalog.size": "около {size}",
    "remote.title": "Или подключить сервер",
    "remote.intro": "Подойдёт любой сервер, совместимый с OpenAI (сервер llama.cpp, Ollama, LM Studio, vLLM…). Ему отправляются ваш вопрос и найденные фрагменты заметок.",
    "remote.enabled": "Отвечать через этот сервер",
    "remote.baseUrl": "Адрес (base URL)",
    "remote.model": "Название модели",
    "remote.apiKey": "Ключ API",
    "remote.apiKeyHelp": "Необязательно. Хранится в защищённом хранилище системы и отправляется только этому серверу.",
    "remote.apiKeySet": "Ключ сохранён в защищённом хранилище системы. Введите новый, чтобы заменить его.",
    "remote.apiKeySession": "Ключ задан, но на этом компьютере нет защищённого хранилища: он хранится до закрытия Sourcebook.",
    "remote.removeKey": "Удалить ключ",
    "remote.save": "Сохранить",
    "remote.saved": "Настройки сервера сохранены.",
    "remote.remove": "Удалить сервер",
    "remote.active": "Ответы даёт {model} на {url}.",
    "remote.invalidUrl": "Введите адрес, начинающийся с http:// или https://.",
    "remote.needModel": "Укажите название модели.",
    "remote.contextSize": "Контекст сервера (токены)",
    "remote.contextSizeHelp": "Контекст, с которым запущен сервер (--max-model-len у vLLM, --ctx-size у llama.cpp). Вопрос, фрагменты и ответ подбираются так, чтобы в него уместиться.",
    "remote.invalidContext": "Введите целое число от {min} до {max}.",
  },
};

register(model);
