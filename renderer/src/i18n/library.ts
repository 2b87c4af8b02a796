import { register, type Dictionary } from "./index.js";

type Key =
  | "library.title"
  | "library.intro"
  | "library.addFolder"
  | "library.adding"
  | "library.reindexAll"
  | "library.reindex"
  | "library.reindexing"
  | "library.noFolders"
  | "library.folders"
  | "library.folderCounts"
  | "library.remove"
  | "library.removeConfirm"
  | "library.removeYes"
  | "library.removeNo"
  | "library.ignore"
  | "library.ignoreHelp"
  | "library.ignoreLabel"
  | "library.ignoreSave"
  | "library.ignoreSaved"
  | "library.progressLabel"
  | "library.progressScanning"
  | "library.progressIndexing"
  | "library.progressDone"
  | "library.files"
  | "library.filterStatus"
  | "library.filterFormat"
  | "library.formatAll"
  | "library.filterText"
  | "library.filterTextPlaceholder"
  | "library.statusAll"
  | "library.status.indexed"
  | "library.status.skipped"
  | "library.status.failed"
  | "library.col.status"
  | "library.col.file"
  | "library.col.size"
  | "library.col.chunks"
  | "library.col.reason"
  | "library.noFiles"
  | "library.noMatches"
  | "library.showing"
  | "library.showMore"
  | "library.summary"
  | "search.title"
  | "search.label"
  | "search.placeholder"
  | "search.hint"
  | "search.noResults"
  | "search.results"
  | "search.open"
  | "search.searching"
  | "search.formats"
  | "search.format.markdown"
  | "search.format.text"
  | "search.format.html"
  | "search.format.pdf"
  | "search.format.docx"
  | "search.format.epub"
  | "search.tags"
  | "search.tagsPlaceholder";

export const library: Dictionary<Key> = {
  en: {
    "library.title": "Library",
    "library.intro": "The folders Sourcebook reads. Notes are re-indexed when they change on disk.",
    "library.addFolder": "Add folder…",
    "library.adding": "Adding…",
    "library.reindexAll": "Re-index all",
    "library.reindex": "Re-index",
    "library.reindexing": "Re-indexing…",
    "library.noFolders": "No folders yet. Add the folder where you keep your notes.",
    "library.folders": "Folders",
    "library.folderCounts": "{indexed} indexed · {skipped} skipped · {failed} failed · {chunks} passages",
    "library.remove": "Remove",
    "library.removeConfirm": "Remove {path} from the library? The notes themselves stay on disk.",
    "library.removeYes": "Remove folder",
    "library.removeNo": "Keep it",
    "library.ignore": "Ignore patterns",
    "library.ignoreHelp": "One pattern per line, like .gitignore: drafts/, *.tmp, **/archive/**",
    "library.ignoreLabel": "Ignore patterns for {path}",
    "library.ignoreSave": "Save and re-index",
    "library.ignoreSaved": "Saved. {indexed} note indexed, {unchanged} unchanged.|Saved. {indexed} notes indexed, {unchanged} unchanged.",
    "library.progressLabel": "Indexing progress",
    "library.progressScanning": "Looking for notes…",
    "library.progressIndexing": "Indexing {done} of {total} file · {bytesDone} of {bytesTotal}|Indexing {done} of {total} files · {bytesDone} of {bytesTotal}",
    "library.progressDone": "Indexing finished: {total} file|Indexing finished: {total} files",
    "library.files": "Files",
    "library.filterStatus": "Show",
    "library.filterFormat": "Format",
    "library.formatAll": "Any format",
    "library.filterText": "Filter files",
    "library.filterTextPlaceholder": "Name, path or reason",
    "library.statusAll": "All ({count})",
    "library.status.indexed": "Indexed",
    "library.status.skipped": "Skipped",
    "library.status.failed": "Failed",
    "library.col.status": "Status",
    "library.col.file": "File",
    "library.col.size": "Size",
    "library.col.chunks": "Passages",
    "library.col.reason": "Reason",
    "library.noFiles": "No files yet.",
    "library.noMatches": "No files match the filter.",
    "library.showing": "Showing {shown} of {total}",
    "library.showMore": "Show more",
    "library.summary": "Done in {seconds} s: {indexed} indexed, {unchanged} unchanged, {skipped} skipped, {failed} failed.",
    "search.title": "Search",
    "search.label": "Search your notes",
    "search.placeholder": "Type to search — no model needed",
    "search.hint": "Results appear as you type. Click one to read the note.",
    "search.noResults": "Nothing in your notes matches “{query}”.",
    "search.results": "one result|{count} results",
    "search.open": "Open {title}",
    "search.searching": "Searching…",
    "search.formats": "Only",
    "search.format.markdown": "Markdown",
    "search.format.text": "Text",
    "search.format.html": "HTML",
    "search.format.pdf": "PDF",
    "search.format.docx": "Word",
    "search.format.epub": "EPUB",
    "search.tags": "Tags",
    "search.tagsPlaceholder": "project, reading",
  },
  ru: {
    "library.title": "Библиотека",
    "library.intro": "Папки, которые читает Sourcebook. Изменённые на диске заметки переиндексируются сами.",
    "library.addFolder": "Добавить папку…",
    "library.adding": "Добавляем…",
    "library.reindexAll": "Переиндексировать всё",
    "library.reindex": "Переиндексировать",
    "library.reindexing": "Переиндексация…",
    "library.noFolders": "Папок пока нет. Добавьте папку, в которой хранятся ваши заметки.",
    "library.folders": "Папки",
    "library.folderCounts": "проиндексировано: {indexed} · пропущено: {skipped} · с ошибкой: {failed} · фрагментов: {chunks}",
    "library.remove": "Убрать",
    "library.removeConfirm": "Убрать {path} из библиотеки? Сами заметки останутся на диске.",
    "library.removeYes": "Убрать папку",
    "library.removeNo": "Оставить",
    "library.ignore": "Шаблоны исключений",
    "library.ignoreHelp": "По одному шаблону в строке, как в .gitignore: drafts/, *.tmp, **/archive/**",
    "library.ignoreLabel": "Шаблоны исключений для {path}",
    "library.ignoreSave": "Сохранить и переиндексировать",
    "library.ignoreSaved": "Сохранено. Проиндексировано заметок: {indexed}, без изменений: {unchanged}.",
    "library.progressLabel": "Ход индексации",
    "library.progressScanning": "Ищем заметки…",
    "library.progressIndexing": "Индексируем: {done} из {total} файла · {bytesDone} из {bytesTotal}|Индексируем: {done} из {total} файлов · {bytesDone} из {bytesTotal}|Индексируем: {done} из {total} файлов · {bytesDone} из {bytesTotal}",
    "library.progressDone": "Индексация завершена: {total} файл|Индексация завершена: {total} файла|Индексация завершена: {total} файлов",
    "library.files": "Файлы",
    "library.filterStatus": "Показать",
    "library.filterFormat": "Формат",
    "library.formatAll": "Любой формат",
    "library.filterText": "Фильтр файлов",
    "library.filterTextPlaceholder": "Имя, путь или причина",
    "library.statusAll": "Все ({count})",
    "library.status.indexed": "Проиндексирован",
    "library.status.skipped": "Пропущен",
    "library.status.failed": "Ошибка",
    "library.col.status": "Состояние",
    "library.col.file": "Файл",
    "library.col.size": "Размер",
    "library.col.chunks": "Фрагменты",
    "library.col.reason": "Причина",
    "library.noFiles": "Файлов пока нет.",
    "library.noMatches": "Под фильтр не подходит ни один файл.",
    "library.showing": "Показано {shown} из {total}",
    "library.showMore": "Показать ещё",
    "library.summary": "Готово за {seconds} с: проиндексировано {indexed}, без изменений {unchanged}, пропущено {skipped}, с ошибкой {failed}.",
    "search.title": "Поиск",
    "search.label": "Поиск по заметкам",
    "search.placeholder": "Начните вводить — модель не нужна",
    "search.hint": "Результаты появляются по мере ввода. Нажмите на результат, чтобы открыть заметку.",
    "search.noResults": "В заметках ничего не нашлось по запросу «{query}».",
    "search.results": "{count} результат|{count} результата|{count} результатов",
    "search.open": "Открыть {title}",
    "search.searching": "Ищем…",
    "search.formats": "Только",
    "search.format.markdown": "Markdown",
    "search.format.text": "Текст",
    "search.format.html": "HTML",
    "search.format.pdf": "PDF",
    "search.format.docx": "Word",
    "search.format.epub": "EPUB",
    "search.tags": "Теги",
    "search.tagsPlaceholder": "проект, чтение",
  },
};

register(library);
