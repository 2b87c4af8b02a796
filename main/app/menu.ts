// The native menu. Commands the renderer carries out (new chat, focus search…) go to the focused
// window as "menu.command" events; the rest are Electron's standard roles.
import { app, Menu, type MenuItemConstructorOptions } from "electron";
import type { MenuCommand } from "../../shared/api.js";
import type { MenuLabels } from "./menu-labels.js";

export function buildMenu(send: (command: MenuCommand) => void, labels: MenuLabels): Menu {
  const isMac = process.platform === "darwin";
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(name),
  });
  const settings = command(isMac ? labels.settingsMac : labels.settings, "openSettings", "CmdOrCtrl+,");

  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { role: "about" },
              { type: "separator" },
              settings,
              { type: "separator" },
              { role: "services" },
              { type: "separator" },
              { role: "hide" },
              { role: "hideOthers" },
              { role: "unhide" },
              { type: "separator" },
              { role: "quit" },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: labels.file,
      submenu: [
        command(labels.newChat, "newChat", "CmdOrCtrl+N"),
        command(labels.exportChat, "export", "CmdOrCtrl+E"),
        { type: "separator" },
        ...(isMac ? [{ role: "close" } as const] : [settings, { type: "separator" } as const, { role: "quit" } as const]),
      ],
    },
    { role: "editMenu" },
    {
      label: labels.view,
      submenu: [
        command(labels.library, "openLibrary", "CmdOrCtrl+1"),
        command(labels.model, "openModel", "CmdOrCtrl+2"),
        { type: "separator" },
        command(labels.searchNotes, "focusSearch", "CmdOrCtrl+K"),
        command(labels.askQuestion, "focusInput", "CmdOrCtrl+L"),
        // Escape is the renderer's own (it also closes dialogs): shown here, not registered.
        { ...command(labels.stop, "stop", "Escape"), registerAccelerator: false },
        { type: "separator" },
        { role: "reload" },
        ...(app.isPackaged ? [] : [{ role: "toggleDevTools" } as const]),
        { type: "separator" },
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
      ],
    },
    { role: "windowMenu" },
    { role: "help", submenu: isMac ? [] : [{ role: "about" }] },
  ];
  return Menu.buildFromTemplate(template);
}
