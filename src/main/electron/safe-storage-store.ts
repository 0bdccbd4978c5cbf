/**
 * Secrets through Electron safeStorage: each value encrypted by the OS keychain's key and kept as ciphertext in one file
 * under userData. Linux's 'basic_text' backend is a hard-coded key, not a keychain, so it counts as unavailable.
 */
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { encryptedFileStore, safeStorageRefusal } from '../secrets/encrypted-file-store';
import type { SecretStore } from '../secrets/secret-store';

export type SafeStorageOpen = { ok: true; store: SecretStore } | { ok: false; reason: string };

/** Call after app 'ready' (Linux picks its backend then). */
export function openSafeStorageStore(userDataDir: string): SafeStorageOpen {
  const available = safeStorage.isEncryptionAvailable();
  const backend = process.platform === 'linux' && available ? safeStorage.getSelectedStorageBackend() : null;
  const reason = safeStorageRefusal(available, process.platform, backend);
  if (reason) return { ok: false, reason };
  return { ok: true, store: encryptedFileStore(join(userDataDir, 'secrets.enc.json'), safeStorage) };
}
