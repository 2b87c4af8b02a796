import { describe, expect, it } from "vitest";
import { menuLabels } from "../../main/app/menu-labels.js";

describe("the native menu's language", () => {
  it("follows the UI language setting, and the OS locale when it is auto", () => {
    expect(menuLabels("auto", "ru-RU").newChat).toBe("Новый чат");
    expect(menuLabels("auto", "en-GB").newChat).toBe("New Chat");
    expect(menuLabels("auto", "de").newChat).toBe("New Chat");
    expect(menuLabels("ru", "en-US").stop).toBe("Остановить ответ");
    expect(menuLabels("en", "ru").library).toBe("Library");
  });
});
