import { describe, expect, it } from "vitest";
import { dialogLabels, type DialogLabels } from "../../main/app/dialog-labels.js";

const words = (labels: DialogLabels) => Object.values(labels).map((value: string | ((url: string) => string)) => (typeof value === "function" ? value("https://example.org/v1") : value));

describe("the native dialogs' language", () => {
  it("follows the UI language setting, and the OS locale when it is auto, as the menus do", () => {
    expect(dialogLabels("auto", "ru-RU").addFolder).toBe("Добавить папку с заметками");
    expect(dialogLabels("auto", "en-GB").addFolder).toBe("Add a notes folder");
    expect(dialogLabels("auto", "de").chooseModel).toBe("Choose a model");
    expect(dialogLabels("ru", "en-US").exportChat).toBe("Экспорт чата");
    expect(dialogLabels("en", "ru").importChat).toBe("Import a chat");
  });

  it("asks about a new endpoint in Russian, naming its address", () => {
    const ru = dialogLabels("ru", "en-US");
    expect(ru.endpointTitle).toBe("Отвечать через другой сервер?");
    expect(ru.endpointMessage("https://example.org/v1")).toBe("Отправлять ваши вопросы и подходящие к ним фрагменты заметок на https://example.org/v1?");
    expect([ru.useEndpoint, ru.cancel]).toEqual(["Использовать этот сервер", "Отмена"]);
  });

  it("has every word in both languages, and the Russian ones are Russian", () => {
    const en = words(dialogLabels("en", "en"));
    const ru = words(dialogLabels("ru", "ru"));
    expect(ru).toHaveLength(en.length);
    for (const text of [...en, ...ru]) expect(text.trim()).not.toBe("");
    // Only the format names stay as they are (Markdown); everything else differs from English.
    const same = ru.filter((text, i) => text === en[i]);
    expect(same).toEqual(["Markdown"]);
    for (const text of ru.filter((t) => t !== "Markdown")) expect(text).toMatch(/[а-яё]/i);
  });
});
