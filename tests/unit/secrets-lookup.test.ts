/**
 * Secret lookup and the secrets:* channels through the real dispatcher and studio core: per-job value first, then the
 * store, then STUDIO_SECRET_*; status lists names and sources but never a value; bad names or values are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { memorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { SecretLookup } from '../../src/main/secrets/secret-lookup';
import { secretEnvVar, type SecretName, type SecretsStatus } from '../../src/shared/secret-names';
import { cleanupTempDirs, tempWorkspace } from '../fixtures/temp-dirs';

let core: StudioCore | null = null;
afterEach(async () => {
  await core?.jobs.close();
  core = null;
  cleanupTempDirs();
});

describe('SecretLookup', () => {
  it('names the environment variables once: STUDIO_SECRET_HF_TOKEN, STUDIO_SECRET_SSH_PASSPHRASE_<hostId>', () => {
    expect(['hf-token', 'modal-token-id', 'modal-token-secret', 'ssh-passphrase:12'].map((n) => secretEnvVar(n as SecretName))).toEqual([
      'STUDIO_SECRET_HF_TOKEN',
      'STUDIO_SECRET_MODAL_TOKEN_ID',
      'STUDIO_SECRET_MODAL_TOKEN_SECRET',
      'STUDIO_SECRET_SSH_PASSPHRASE_12',
    ]);
  });

  it('reads the per-job value first, then the store, then the environment', () => {
    const store = memorySecretStore('test: no keychain');
    const env = { STUDIO_SECRET_HF_TOKEN: 'from-env', STUDIO_SECRET_SSH_PASSPHRASE_3: 'env-pass', STUDIO_SECRET_NOT_A_NAME: 'x', STUDIO_SECRET_SSH_PASSPHRASE_0: 'bad id' };
    const lookup = new SecretLookup(store, env);
    expect(lookup.get('hf-token')).toBe('from-env');
    store.set('hf-token', 'from-store');
    expect(lookup.get('hf-token')).toBe('from-store');
    expect(lookup.get('hf-token', new Map([['hf-token', 'for-this-job']]))).toBe('for-this-job');
    const pass = lookup.sshPassphrase(new Map([['ssh-passphrase:4', 'job-pass']]));
    expect([pass(3), pass(4), pass(5)]).toEqual(['env-pass', 'job-pass', undefined]);
    expect(lookup.status()).toEqual({
      backend: 'environment',
      keychain: false,
      reason: 'test: no keychain',
      set: [
        { name: 'hf-token', source: 'memory' },
        { name: 'ssh-passphrase:3', source: 'environment' },
      ],
    });
  });
});

describe('secrets:* channels', () => {
  it('set/replace/delete by name; status shows names and the backend in plain words, never a value', async () => {
    core = createStudioCore(tempWorkspace());
    const dispatch = createDispatcher(core.handlers);
    const first = (await dispatch('secrets:status', {})) as SecretsStatus;
    expect(first).toEqual({ backend: 'environment', keychain: false, reason: 'this studio process was started without a keychain (embedded use)', set: [] });
    await dispatch('secrets:set', { name: 'hf-token', value: 'hf_first-VALUE' });
    const replaced = (await dispatch('secrets:set', { name: 'hf-token', value: 'hf_second-VALUE' })) as SecretsStatus;
    await dispatch('secrets:set', { name: 'ssh-passphrase:9', value: 'pp-VALUE' });
    const status = (await dispatch('secrets:status', {})) as SecretsStatus;
    expect(replaced.set).toEqual([{ name: 'hf-token', source: 'memory' }]);
    expect(status.set.map((s) => s.name)).toEqual(['hf-token', 'ssh-passphrase:9']);
    expect(JSON.stringify([replaced, status])).not.toMatch(/VALUE/);
    expect(core.secrets.get('hf-token')).toBe('hf_second-VALUE');
    const after = (await dispatch('secrets:delete', { name: 'hf-token' })) as SecretsStatus;
    expect(after.set).toEqual([{ name: 'ssh-passphrase:9', source: 'memory' }]);
    expect(core.secrets.get('hf-token')).toBeUndefined();
  });

  it('refuses unknown names and multi-line or empty values with a clear error; nothing is stored', async () => {
    core = createStudioCore(tempWorkspace());
    const dispatch = createDispatcher(core.handlers);
    await expect(dispatch('secrets:set', { name: 'aws-key', value: 'x' })).rejects.toMatchObject({
      code: 'invalid-args',
      message: 'Invalid arguments for secrets:set: name: a secret name: hf-token, modal-token-id, modal-token-secret or ssh-passphrase:<hostId>',
    });
    await expect(dispatch('secrets:set', { name: 'ssh-passphrase:0', value: 'x' })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(dispatch('secrets:set', { name: 'hf-token', value: 'line1\nline2' })).rejects.toMatchObject({
      message: 'Invalid arguments for secrets:set: value: the value must be one line (no newlines or NUL)',
    });
    await expect(dispatch('secrets:set', { name: 'hf-token', value: '' })).rejects.toMatchObject({ message: 'Invalid arguments for secrets:set: value: the value is empty' });
    await expect(dispatch('secrets:delete', { name: '../hf-token' })).rejects.toMatchObject({ code: 'invalid-args' });
    expect(((await dispatch('secrets:status', {})) as SecretsStatus).set).toEqual([]);
  });
});
