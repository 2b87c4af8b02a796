import type { Dictionary } from "./index.js";

type Key =
  | "nav.label"
  | "nav.search"
  | "shell.loading"
  | "shell.startFailed"
  | "chat.inputLabel"
  | "chat.placeholder"
  | "chat.send"
  | "chat.stop"
  | "chat.regenerate"
  | "chat.question"
  | "chat.answer"
  | "chat.messages"
  | "chat.reading"
  | "chat.writing"
  | "chat.stopped"
  | "chat.truncated"
  | "chat.complete"
  | "chat.errorTitle"
  | "chat.noModelTitle"
  | "chat.noModel"
  | "chat.openModel"
  | "chat.emptyTitle"
  | "chat.emptyHint"
  | "chat.busyElsewhere"
  | "export.nothing"
  | "refusal.title"
  | "refusal.search"
  | "sources.label"
  | "sources.closest"
  | "sources.open"
  | "sources.notUsed"
  | "how.title"
  | "how.model"
  | "how.unknown"
  | "how.chosen"
  | "how.none"
  | "how.tokens"
  | "how.tokenCounts"
  | "how.timings"
  | "how.timingValues"
  | "how.sent"
  | "how.ms"
  | "how.context"
  | "how.contextValue"
  | "how.countedBy.model"
  | "how.countedBy.server"
  | "how.countedBy.estimate"
  | "how.history"
  | "how.historyValue"
  | "how.shortened"
  | "how.omitted"
  | "markdown.image"
  | "markdown.plain.deep"
  | "markdown.plain.long"
  | "markdown.plain.slow"
  | "markdown.plain.failed"
  | "renderError.messageTitle"
  | "renderError.message"
  | "renderError.noteTitle"
  | "renderError.note"
  | "renderError.viewTitle"
  | "renderError.view"
  | "renderError.retry"
  | "preview.label"
  | "preview.open"
  | "preview.showInFolder"
  | "preview.back"
  | "preview.notInLibrary"
  | "preview.noSuchNote"
  | "preview.pages"
  | "preview.page"
  | "preview.previousPage"
  | "preview.nextPage"
  | "preview.asPrinted"
  | "preview.drawingPage"
  | "preview.pageImageAlt"
  | "source.page"
  | "conversations.label"
  | "conversations.new"
  | "conversations.filter"
  | "conversations.none"
  | "conversations.noMatches"
  | "conversations.messages"
  | "conversations.rename"
  | "conversations.renameShort"
  | "conversations.newTitle"
  | "conversations.delete"
  | "conversations.deleteNamed"
  | "conversations.confirmDelete"
  | "conversations.import"
  | "export.label"
  | "export.md"
  | "export.html"
  | "export.json"
  | "export.saved";

export const chat: Dictionary<Key> = {
  en: {
    "nav.label": "Sections",
    "nav.search": "Search",
    "shell.loading": "Starting…",
    "shell.startFailed": "Sourcebook could not start: {message}",
    "chat.inputLabel": "Your question",
    "chat.placeholder": "Ask about your notes… (Enter to send, Shift+Enter for a new line)",
    "chat.send": "Send",
    "chat.stop": "Stop",
    "chat.regenerate": "Regenerate",
    "chat.question": "Question",
    "chat.answer": "Answer",
    "chat.messages": "Messages",
    "chat.reading": "Reading your notes…",
    "chat.writing": "Writing the answer…",
    "chat.stopped": "Stopped before the end.",
    "chat.truncated": "The answer reached its length limit of {tokens} token and ends there.|The answer reached its length limit of {tokens} tokens and ends there.",
    "chat.complete": "The answer is complete.",
    "chat.errorTitle": "The answer failed",
    "chat.noModelTitle": "No model is loaded",
    "chat.noModel": "Load a model, or connect to an endpoint, to get answers. Search works without one.",
    "chat.openModel": "Open Model",
    "chat.emptyTitle": "Ask your notes",
    "chat.emptyHint": "Answers come only from your notes, with numbered sources.",
    "chat.busyElsewhere": "An answer is being written in “{title}”. Send when it is done.",
    "export.nothing": "Nothing to export yet: ask a question first.",
    "refusal.title": "Not in your notes",
    "refusal.search": "Search instead",
    "sources.label": "Sources",
    "sources.closest": "Closest matches",
    "sources.open": "Source {n}: {title}. Open the passage",
    "sources.notUsed": "not used",
    "how.title": "How this was answered",
    "how.model": "Model",
    "how.unknown": "unknown",
    "how.chosen": "Documents the model chose",
    "how.none": "none",
    "how.tokens": "Tokens",
    "how.tokenCounts": "{prompt} in the prompt, {evaluated} evaluated, {reused} reused, {generated} generated",
    "how.timings": "Timings",
    "how.timingValues": "retrieve {retrieve}, select {select}, answer {answer}, first token {first}",
    "how.sent": "{count} document sent:|{count} documents sent:",
    "how.ms": "{ms} ms",
    "how.context": "Context",
    "how.contextValue": "{prompt} of {size} tokens in the prompt, {answer} kept for the answer ({countedBy})",
    "how.countedBy.model": "counted by the model's tokenizer",
    "how.countedBy.server": "counted by the server's tokenizer",
    "how.countedBy.estimate": "estimated: the server cannot count",
    "how.history": "Earlier turns",
    "how.historyValue": "{sent} sent, {leftOut} left out for room",
    "how.shortened": "shortened to fit",
    "how.omitted": "{count} more found, left out: it did not fit the context:|{count} more found, left out: they did not fit the context:",
    "markdown.image": "[image]",
    "markdown.plain.deep": "Shown as plain text: it nests more than {levels} levels deep, too deep to format safely.",
    "markdown.plain.long": "Shown as plain text: it is longer than {chars} characters, too long to format.",
    "markdown.plain.slow": "Shown as plain text: formatting it took too long.",
    "markdown.plain.failed": "Shown as plain text: it could not be formatted.",
    "renderError.messageTitle": "This message can’t be shown",
    "renderError.message": "Something in it could not be displayed. The rest of the conversation is not affected.",
    "renderError.noteTitle": "This note can’t be shown here",
    "renderError.note": "Something in it could not be displayed. Open it in its default app to read it.",
    "renderError.viewTitle": "This section can’t be shown",
    "renderError.view": "Something went wrong while displaying it. The other sections still work.",
    "renderError.retry": "Try again",
    "preview.label": "Preview: {title}",
    "preview.open": "Open in default app",
    "preview.showInFolder": "Show in folder",
    "preview.back": "Back",
    "preview.notInLibrary": "“{path}” is not in your library, so it is not shown here.",
    "preview.noSuchNote": "No note in your library is called “{name}”.",
    "preview.pages": "Pages",
    "preview.page": "Page {page} of {pages}",
    "preview.previousPage": "Previous page",
    "preview.nextPage": "Next page",
    "preview.asPrinted": "Page as printed",
    "preview.drawingPage": "Drawing the page…",
    "preview.pageImageAlt": "Page {page} as printed",
    "source.page": "p. {page}",
    "conversations.label": "Conversations",
    "conversations.new": "New chat",
    "conversations.filter": "Filter conversations",
    "conversations.none": "No conversations yet.",
    "conversations.noMatches": "No conversation matches.",
    "conversations.messages": "{count} message|{count} messages",
    "conversations.rename": "Rename “{title}”",
    "conversations.renameShort": "Rename",
    "conversations.newTitle": "New title",
    "conversations.delete": "Delete",
    "conversations.deleteNamed": "Delete “{title}”",
    "conversations.confirmDelete": "Delete “{title}”?",
    "conversations.import": "Import…",
    "export.label": "Export",
    "export.md": "Markdown",
    "export.html": "HTML",
    "export.json": "JSON",
    "export.saved": "Saved to {path}",
  },
  ru: {
    "nav.label": "Разделы",
    "nav.search": "Поиск",
    "shell.loading": "Запуск…",
    "shell.startFailed": "Sourcebook не запустился: {message}",
    "chat.inputLabel": "Ваш вопрос",
    "chat.placeholder": "Спросите о заметках… (Enter — отправить, Shift+Enter — новая строка)",
    "chat.send": "Отправить",
    "chat.stop": "Остановить",
    "chat.regenerate": "Ответить заново",
    "chat.question": "Вопрос",
    "chat.answer": "Ответ",
    "chat.messages": "Сообщения",
    "chat.reading": "Читаю заметки…",
    "chat.writing": "Пишу ответ…",
    "chat.stopped": "Остановлено до конца ответа.",
    "chat.truncated": "Ответ достиг предела длины в {tokens} токен и на этом обрывается.|Ответ достиг предела длины в {tokens} токена и на этом обрывается.|Ответ достиг предела длины в {tokens} токенов и на этом обрывается.",
    "chat.complete": "Ответ готов.",
    "chat.errorTitle": "Ответ не получился",
    "chat.noModelTitle": "Модель не загружена",
    "chat.noModel": "Загрузите модель или подключите сервер, чтобы получать ответы. Поиск работает и без модели.",
    "chat.openModel": "Открыть «Модель»",
    "chat.emptyTitle": "Спросите свои заметки",
    "chat.emptyHint": "Ответы — только из ваших заметок, с пронумерованными источниками.",
    "chat.busyElsewhere": "Пишется ответ в разговоре «{title}». Отправьте, когда он будет готов.",
    "export.nothing": "Экспортировать пока нечего: сначала задайте вопрос.",
    "refusal.title": "В ваших заметках этого нет",
    "refusal.search": "Искать вместо этого",
    "sources.label": "Источники",
    "sources.closest": "Ближайшие совпадения",
    "sources.open": "Источник {n}: {title}. Открыть фрагмент",
    "sources.notUsed": "не использовано",
    "how.title": "Как получен ответ",
    "how.model": "Модель",
    "how.unknown": "неизвестна",
    "how.chosen": "Документы, выбранные моделью",
    "how.none": "нет",
    "how.tokens": "Токены",
    "how.tokenCounts": "в запросе {prompt}, вычислено {evaluated}, повторно использовано {reused}, сгенерировано {generated}",
    "how.timings": "Время",
    "how.timingValues": "поиск {retrieve}, выбор {select}, ответ {answer}, первый токен {first}",
    "how.sent": "Отправлен {count} документ:|Отправлено {count} документа:|Отправлено {count} документов:",
    "how.ms": "{ms} мс",
    "how.context": "Контекст",
    "how.contextValue": "в запросе {prompt} из {size} токенов, для ответа оставлено {answer} ({countedBy})",
    "how.countedBy.model": "подсчитано токенизатором модели",
    "how.countedBy.server": "подсчитано токенизатором сервера",
    "how.countedBy.estimate": "оценка: сервер не умеет считать токены",
    "how.history": "Предыдущие реплики",
    "how.historyValue": "отправлено {sent}, не поместилось {leftOut}",
    "how.shortened": "сокращён, чтобы поместиться",
    "how.omitted": "Найден ещё {count}, но не отправлен: не поместился в контекст:|Найдено ещё {count}, но не отправлены: не поместились в контекст:|Найдено ещё {count}, но не отправлены: не поместились в контекст:",
    "markdown.image": "[изображение]",
    "markdown.plain.deep": "Показано как обычный текст: вложенность больше {levels} уровней — слишком глубоко, чтобы безопасно оформить.",
    "markdown.plain.long": "Показано как обычный текст: длиннее {chars} символов — слишком длинно, чтобы оформить.",
    "markdown.plain.slow": "Показано как обычный текст: оформление заняло слишком много времени.",
    "markdown.plain.failed": "Показано как обычный текст: оформить не удалось.",
    "renderError.messageTitle": "Это сообщение не удаётся показать",
    "renderError.message": "Что-то в нём не отображается. На остальной разговор это не влияет.",
    "renderError.noteTitle": "Эту заметку не удаётся показать здесь",
    "renderError.note": "Что-то в ней не отображается. Откройте её в приложении, чтобы прочитать.",
    "renderError.viewTitle": "Этот раздел не удаётся показать",
    "renderError.view": "При отображении произошла ошибка. Остальные разделы работают.",
    "renderError.retry": "Попробовать снова",
    "preview.label": "Просмотр: {title}",
    "preview.open": "Открыть в приложении",
    "preview.showInFolder": "Показать в папке",
    "preview.back": "Назад",
    "preview.notInLibrary": "«{path}» не входит в вашу библиотеку, поэтому здесь не показывается.",
    "preview.noSuchNote": "В библиотеке нет заметки «{name}».",
    "preview.pages": "Страницы",
    "preview.page": "Страница {page} из {pages}",
    "preview.previousPage": "Предыдущая страница",
    "preview.nextPage": "Следующая страница",
    "preview.asPrinted": "Страница как в PDF",
    "preview.drawingPage": "Рисуем страницу…",
    "preview.pageImageAlt": "Страница {page} как в PDF",
    "source.page": "с. {page}",
    "conversations.label": "Разговоры",
    "conversations.new": "Новый чат",
    "conversations.filter": "Фильтр разговоров",
    "conversations.none": "Разговоров пока нет.",
    "conversations.noMatches": "Ничего не найдено.",
    "conversations.messages": "{count} сообщение|{count} сообщения|{count} сообщений",
    "conversations.rename": "Переименовать «{title}»",
    "conversations.renameShort": "Переименовать",
    "conversations.newTitle": "Новое название",
    "conversations.delete": "Удалить",
    "conversations.deleteNamed": "Удалить «{title}»",
    "conversations.confirmDelete": "Удалить «{title}»?",
    "conversations.import": "Импорт…",
    "export.label": "Экспорт",
    "export.md": "Markdown",
    "export.html": "HTML",
    "export.json": "JSON",
    "export.saved": "Сохранено: {path}",
  },
};
