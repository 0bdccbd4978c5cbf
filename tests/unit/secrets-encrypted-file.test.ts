/**
 * The store Electron's safeStorage backs, with a STAND-IN for safeStorage's cipher (AES-256-GCM under a random key:
 * the Electron binary and its keychain key cannot exist here): values round-trip, the file on disk holds ciphertext
 * only (mode 0600, replaced atomically), a corrupt file fails clearly, and 'basic_text' never counts as a keychain.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptedFileStore, safeStorageRefusal, type KeychainCipher } from '../../src/main/secrets/encrypted-file-store';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { scanForSecret } from '../support/secret-scan';

afterEach(() => cleanupTempDirs());

/** Stand-in for Electron safeStorage's encryptString/decryptString (which use a key from the OS keychain). */
function standInSafeStorageCipher(): KeychainCipher {
  const key = randomBytes(32);
  return {
    encryptString: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString: (blob) => {
      const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('encrypted secrets file (safeStorage cipher stand-in)', () => {
  it('sets, replaces, lists and deletes; the file holds ciphertext only, mode 0600, no temp file left', () => {
    const dir = makeTempDir('vcs-userdata-');
    const file = join(dir, 'secrets.enc.json');
    const store = encryptedFileStore(file, standInSafeStorageCipher());
    const token = `hf_${randomBytes(16).toString('hex')}`;
    const pass = `pp ${randomBytes(8).toString('hex')} é`;
    expect([store.names(), store.get('hf-token'), store.has('hf-token')]).toEqual([[], undefined, false]);
    store.set('hf-token', 'old');
    store.set('hf-token', token);
    store.set('ssh-passphrase:3', pass);
    expect([store.get('hf-token'), store.get('ssh-passphrase:3'), store.names()]).toEqual([token, pass, ['hf-token', 'ssh-passphrase:3']]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.enc.json']);
    for (const secret of [token, pass]) expect(scanForSecret([dir], secret)).toEqual([]);
    // A new store over the same file (the next start) reads the same values.
    const again = encryptedFileStore(file, standInSafeStorageCipher());
    expect(again.names()).toEqual(['hf-token', 'ssh-passphrase:3']);
    expect([store.delete('hf-token'), store.delete('hf-token'), store.names()]).toEqual([true, false, ['ssh-passphrase:3']]);
  });

  it('a corrupt file fails in one clear line and is not overwritten', () => {
    const file = join(makeTempDir('vcs-userdata-'), 'secrets.enc.json');
    writeFileSync(file, '{not json');
    const store = encryptedFileStore(file, standInSafeStorageCipher());
    expect(() => store.set('hf-token', 'x')).toThrow(new RegExp(`^the encrypted secrets file ${file} is unreadable \\(.+\\); remove it and set the secrets again$`));
    expect(() => store.names()).toThrow(/is unreadable/);
    expect(readFileSync(file, 'utf8')).toBe('{not json');
  });

  it("counts only a real keychain: Linux's basic_text (a fixed key) or no encryption is refused with the reason", () => {
    expect(safeStorageRefusal(true, 'linux', 'gnome_libsecret')).toBeNull();
    expect(safeStorageRefusal(true, 'linux', 'kwallet5')).toBeNull();
    expect(safeStorageRefusal(true, 'darwin', null)).toBeNull();
    expect(safeStorageRefusal(true, 'linux', 'basic_text')).toBe('Electron safeStorage found no keychain (backend "basic_text": a fixed key, not a keychain)');
    expect(safeStorageRefusal(true, 'linux', 'unknown')).toMatch(/backend "unknown"/);
    expect(safeStorageRefusal(false, 'win32', null)).toBe('Electron safeStorage has no encryption key from the OS keychain on this machine');
  });
});
