/**
 * Seals secrets for storage, as the desktop shell provides it (Electron's safeStorage: the macOS
 * Keychain, Windows DPAPI, the Secret Service or KWallet on Linux).
 */
export interface SecretSealer {
  /** Whether sealing protects anything on this computer; Linux without a keyring only obfuscates. */
  available(): boolean;
  /** The secret as text that is safe to store. */
  seal(plain: string): string;
  /** Throws when the text was sealed elsewhere (another computer or user). */
  open(sealed: string): string;
}
