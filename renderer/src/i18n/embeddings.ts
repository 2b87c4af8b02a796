// Search by meaning: the embedding model, its coverage of the library, search modes, and which
// retriever found each passage.
import { register, type Dictionary } from "./index.js";

type Key =
  | "embed.title"
  | "embed.intro"
  | "embed.none"
  | "embed.noneHint"
  | "embed.model"
  | "embed.modelLocal"
  | "embed.modelRemote"
  | "embed.coverage"
  | "embed.complete"
  | "embed.progressLabel"
  | "embed.progress"
  | "embed.start"
  | "embed.stop"
  | "embed.stopped"
  | "embed.failed"
  | "embed.catalogTitle"
  | "embed.catalogIntro"
  | "embed.use"
  | "embed.inUse"
  | "embed.chooseFile"
  | "embed.choosing"
  | "embed.remoteTitle"
  | "embed.remoteIntro"
  | "embed.remoteUrl"
  | "embed.remoteModel"
  | "embed.remoteKey"
  | "embed.remoteKeyKept"
  | "embed.remoteUse"
  | "embed.remoteSaving"
  | "embed.firstRunOption"
  | "embed.firstRunIntro"
  | "search.mode"
  | "search.mode.auto"
  | "search.mode.lexical"
  | "search.mode.semantic"
  | "search.mode.hybrid"
  | "search.ran"
  | "search.ran.lexical"
  | "search.ran.semantic"
  | "search.ran.hybrid"
  | "search.fellBack"
  | "retrievers.lexical"
  | "retrievers.semantic"
  | "retrievers.label";

export const embeddings: Dictionary<Key> = {
  en: {
    "embed.title": "Search by meaning",
    "embed.intro": "An embedding model finds passages that say the same thing in other words, in Russian and English.",
    "embed.none": "No embedding model: search matches words only.",
    "embed.noneHint": "Choose one on the Model page.",
    "embed.model": "Embedding model",
    "embed.modelLocal": "{name} ({dims} dimensions), {location}",
    "embed.modelRemote": "{name} ({dims} dimensions) at {location}",
    "embed.coverage": "Passages embedded: {embedded} of {total}",
    "embed.complete": "Every passage is embedded.",
    "embed.progressLabel": "Embedding the library",
    "embed.progress": "Embedding passages: {embedded} of {total}",
    "embed.start": "Embed the rest",
    "embed.stop": "Stop embedding",
    "embed.stopped": "Embedding stopped; what was embedded is kept.",
    "embed.failed": "Embedding failed: {message}",
    "embed.catalogTitle": "Download an embedding model",
    "embed.catalogIntro": "Multilingual, strong in Russian and English. Searching works without it, by words only.",
    "embed.use": "Use for search",
    "embed.inUse": "In use",
    "embed.chooseFile": "Choose an embedding model file…",
    "embed.choosing": "Setting the model…",
    "embed.remoteTitle": "Embeddings from a server",
    "embed.remoteIntro": "An OpenAI-compatible /v1/embeddings endpoint (vLLM, llama.cpp's server, Ollama). Every note's text goes there.",
    "embed.remoteUrl": "Server address",
    "embed.remoteModel": "Model name",
    "embed.remoteKey": "API key (optional)",
    "embed.remoteKeyKept": "A key is kept for this server; leave empty to keep it.",
    "embed.remoteUse": "Use this server",
    "embed.remoteSaving": "Checking the server…",
    "embed.firstRunOption": "Search by meaning (optional)",
    "embed.firstRunIntro": "Download the embedding model too, and search and answers also find notes that use other words than your question.",
    "search.mode": "Search by",
    "search.mode.auto": "Automatic",
    "search.mode.lexical": "Words",
    "search.mode.semantic": "Meaning",
    "search.mode.hybrid": "Words and meaning",
    "search.ran": "Searched by: {mode}",
    "search.ran.lexical": "words",
    "search.ran.semantic": "meaning",
    "search.ran.hybrid": "words and meaning",
    "search.fellBack": "Searched by words only: the embedding model could not be used.",
    "retrievers.lexical": "words #{rank}",
    "retrievers.semantic": "meaning #{rank}",
    "retrievers.label": "Found by",
  },
  ru: {
    "embed.title": "Поиск по смыслу",
    "embed.intro": "Модель векторизации находит фрагменты, где то же сказано другими словами, по-русски и по-английски.",
    "embed.none": "Модели векторизации нет: поиск ищет только слова.",
    "embed.noneHint": "Выберите её на странице «Модель».",
    "embed.model": "Модель векторизации",
    "embed.modelLocal": "{name} ({dims} измерений), {location}",
    "embed.modelRemote": "{name} ({dims} измерений) на {location}",
    "embed.coverage": "Векторизовано фрагментов: {embedded} из {total}",
    "embed.complete": "Все фрагменты векторизованы.",
    "embed.progressLabel": "Векторизация библиотеки",
    "embed.progress": "Векторизуются фрагменты: {embedded} из {total}",
    "embed.start": "Векторизовать остальное",
    "embed.stop": "Остановить векторизацию",
    "embed.stopped": "Векторизация остановлена; готовое сохранено.",
    "embed.failed": "Векторизация не удалась: {message}",
    "embed.catalogTitle": "Скачать модель векторизации",
    "embed.catalogIntro": "Многоязычная, сильная в русском и английском. Без неё поиск работает, но только по словам.",
    "embed.use": "Использовать для поиска",
    "embed.inUse": "Используется",
    "embed.chooseFile": "Выбрать файл модели векторизации…",
    "embed.choosing": "Модель выбирается…",
    "embed.remoteTitle": "Векторы с сервера",
    "embed.remoteIntro": "Совместимый с OpenAI адрес /v1/embeddings (vLLM, сервер llama.cpp, Ollama). Туда уйдёт текст всех заметок.",
    "embed.remoteUrl": "Адрес сервера",
    "embed.remoteModel": "Название модели",
    "embed.remoteKey": "Ключ API (необязательно)",
    "embed.remoteKeyKept": "Для этого сервера сохранён ключ; оставьте поле пустым, чтобы не менять его.",
    "embed.remoteUse": "Использовать этот сервер",
    "embed.remoteSaving": "Сервер проверяется…",
    "embed.firstRunOption": "Поиск по смыслу (необязательно)",
    "embed.firstRunIntro": "Скачайте и модель векторизации: тогда поиск и ответы найдут и заметки, где сказано другими словами, чем в вопросе.",
    "search.mode": "Искать",
    "search.mode.auto": "Автоматически",
    "search.mode.lexical": "По словам",
    "search.mode.semantic": "По смыслу",
    "search.mode.hybrid": "По словам и смыслу",
    "search.ran": "Искали: {mode}",
    "search.ran.lexical": "по словам",
    "search.ran.semantic": "по смыслу",
    "search.ran.hybrid": "по словам и смыслу",
    "search.fellBack": "Искали только по словам: модель векторизации недоступна.",
    "retrievers.lexical": "по словам №{rank}",
    "retrievers.semantic": "по смыслу №{rank}",
    "retrievers.label": "Нашёл поиск",
  },
};

register(embeddings);
