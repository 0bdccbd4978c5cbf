/**
 * Secrets as ciphertext in one file, encrypted by a key the OS keychain holds (Electron safeStorage supplies the
 * cipher): the file never holds a value in plaintext, and is replaced atomically on each change.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isSecretName, type SecretName } from '../../shared/secret-names';
import type { SecretStore } from './secret-store';

/** The two calls of Electron's safeStorage this store needs. */
export interface KeychainCipher {
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

interface SecretsFile {
  version: 1;
  /** name → base64 of the ciphertext. */
  entries: Record<string, string>;
}

/** Why safeStorage is no keychain here (null: it is): not available, or Linux's fixed-key 'basic_text' fallback. */
export function safeStorageRefusal(available: boolean, platform: NodeJS.Platform, backend: string | null): string | null {
  if (!available) return 'Electron safeStorage has no encryption key from the OS keychain on this machine';
  if (platform === 'linux' && (backend === 'basic_text' || backend === 'unknown' || backend === null)) {
    return `Electron safeStorage found no keychain (backend "${backend ?? 'none'}": a fixed key, not a keychain)`;
  }
  return null;
}

export function encryptedFileStore(file: string, cipher: KeychainCipher): SecretStore {
  const read = (): SecretsFile => {
    if (!existsSync(file)) return { version: 1, entries: {} };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SecretsFile>;
      if (typeof parsed.entries !== 'object' || parsed.entries === null) throw new Error('no entries');
      return { version: 1, entries: parsed.entries };
    } catch (err) {
      throw new Error(`the encrypted secrets file ${file} is unreadable (${err instanceof Error ? err.message : String(err)}); remove it and set the secrets again`);
    }
  };
  const write = (data: SecretsFile): void => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    backend: 'electron-safe-storage',
    keychain: true,
    reason: null,
    get: (name) => {
      const blob = read().entries[name];
      return blob === undefined ? undefined : cipher.decryptString(Buffer.from(blob, 'base64'));
    },
    set: (name, value) => {
      const data = read();
      data.entries[name] = cipher.encryptString(value).toString('base64');
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
}
