/**
 * Secrets through Electron safeStorage: each value encrypted by the OS keychain's key and kept as ciphertext in one file
 * under userData. Linux's 'basic_text' backend is a hard-coded key, not a keychain, so it counts as unavailable.
 */
import { safeStorage } from 'electron';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSecretName, type SecretName } from '../../shared/secret-names';
import type { SecretStore } from '../secrets/secret-store';

export type SafeStorageOpen = { ok: true; store: SecretStore } | { ok: false; reason: string };

interface SecretsFile {
  version: 1;
  /** name → base64 of safeStorage.encryptString(value): ciphertext only. */
  entries: Record<string, string>;
}

/** Call after app 'ready' (Linux picks its backend then). */
export function openSafeStorageStore(userDataDir: string): SafeStorageOpen {
  if (!safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'Electron safeStorage has no encryption key from the OS keychain on this machine' };
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') {
      return { ok: false, reason: `Electron safeStorage found no keychain (backend "${backend}": a fixed key, not a keychain)` };
    }
  }
  const file = join(userDataDir, 'secrets.enc.json');
  const read = (): SecretsFile => {
    if (!existsSync(file)) return { version: 1, entries: {} };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as SecretsFile;
      return { version: 1, entries: parsed.entries ?? {} };
    } catch (err) {
      throw new Error(`the encrypted secrets file ${file} is unreadable (${err instanceof Error ? err.message : String(err)}); remove it and set the secrets again`);
    }
  };
  const write = (data: SecretsFile) => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, file);
  };
  const store: SecretStore = {
    backend: 'electron-safe-storage',
    keychain: true,
    reason: null,
    get: (name) => {
      const blob = read().entries[name];
      return blob === undefined ? undefined : safeStorage.decryptString(Buffer.from(blob, 'base64'));
    },
    set: (name, value) => {
      const data = read();
      data.entries[name] = safeStorage.encryptString(value).toString('base64');
      write(data);
    },
    delete: (name) => {
      const data = read();
      if (!(name in data.entries)) return false;
      delete data.entries[name];
      write(data);
      return true;
    },
    has: (name) => name in read().entries,
    names: () => Object.keys(read().entries).filter(isSecretName).sort() as SecretName[],
  };
  return { ok: true, store };
}
