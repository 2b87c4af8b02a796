// The API key's storage in the app: Electron's safeStorage (Keychain, DPAPI, Secret Service/KWallet).
import { safeStorage } from "electron";
import type { SecretSealer } from "../settings/secrets.js";

export function electronSealer(): SecretSealer {
  return {
    // On Linux without a keyring, safeStorage falls back to a fixed password: that hides nothing.
    available: () => safeStorage.isEncryptionAvailable() && (process.platform !== "linux" || safeStorage.getSelectedStorageBackend() !== "basic_text"),
    seal: (plain) => safeStorage.encryptString(plain).toString("base64"),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, "base64")),
  };
}
