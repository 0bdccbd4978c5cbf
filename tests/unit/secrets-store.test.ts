/**
 * The secret stores for real: the OS keyring store against gnome-keyring's Secret Service in a fresh D-Bus session
 * (set, replace, read, list, delete — checked with libsecret's secret-tool too), a Secret Service that has no keyring
 * to write to counts as no keychain, and with no D-Bus (this machine's normal state) the store says why in plain words.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyringStore } from '../../src/main/secrets/keyring-secret-store';
import { openNodeSecretStore } from '../../src/main/secrets/open-node-secret-store';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { REPO_ROOT } from '../support/assets';
import { secretServiceUnavailable } from '../support/secret-service';

const noKeyring = secretServiceUnavailable();
if (noKeyring) console.log(`keyring store tests skipped: ${noKeyring}`);
afterEach(() => cleanupTempDirs());

/** Runs `script` under dbus-run-session with HOME and the XDG dirs in a temp folder; returns stdout. */
function inDbusSession(script: string, service: string): Promise<{ code: number | null; out: string; err: string }> {
  const home = makeTempDir('vcs-dbus-home-');
  for (const d of ['.cache', 'run']) mkdirSync(join(home, d), { mode: 0o700 });
  const env = { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: join(home, 'run'), SVC: service, NODE: process.execPath };
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], { cwd: REPO_ROOT, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const CHILD = '"$NODE" --import tsx tests/fixtures/keyring-store-child.ts "$SVC"';
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1) ?? 'null') as Record<string, unknown>;

describe.skipIf(Boolean(noKeyring))('the OS keyring store on a real Secret Service (gnome-keyring over D-Bus)', () => {
  it('sets, replaces, reads, lists and deletes by secret name; secret-tool sees the same items', { timeout: 60_000 }, async () => {
    const service = `vcs-store-${process.pid}-${Date.now()}`;
    const run = await inDbusSession(
      `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90
${CHILD} || exit 91
echo "TOOL_SSH=$(secret-tool lookup service "$SVC" username ssh-passphrase:7)"
echo "TOOL_MODAL=$(secret-tool lookup service "$SVC" username modal-token-id)"`,
      service,
    );
    expect(run.code, run.err.slice(-2000)).toBe(0);
    expect(lastJson(run.out)).toEqual({
      ok: true,
      backend: 'os-keyring',
      keychain: true,
      emptyNames: [],
      missing: null,
      hf: 'second value',
      ssh: 'pass phrase with spaces é',
      has: [true, false],
      names: ['hf-token', 'modal-token-id', 'ssh-passphrase:7'],
      deleted: [true, false],
      afterDelete: ['hf-token', 'ssh-passphrase:7'],
    });
    expect(run.out).toContain('TOOL_SSH=pass phrase with spaces é\n');
    expect(run.out).toContain('TOOL_MODAL=\n');
  });

  it('a Secret Service with no keyring to write to (never unlocked) is not a keychain, and the reason says so', { timeout: 60_000 }, async () => {
    // D-Bus activates gnome-keyring on demand, but without --unlock there is no default keyring: reads answer, writes fail.
    const run = await inDbusSession(CHILD, `vcs-locked-${process.pid}`);
    expect(run.code, run.err.slice(-2000)).toBe(0);
    const seen = lastJson(run.out);
    expect(seen.ok).toBe(false);
    expect(seen.reason).toMatch(/^the OS keychain is not usable: /);
  });
});

describe('no keychain on this machine', () => {
  it('without a D-Bus session bus the keyring store is unavailable, and says why in plain words', async () => {
    const opened = await openKeyringStore('vcs-none', { PATH: process.env.PATH });
    expect(opened).toEqual({
      ok: false,
      reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service keychain such as GNOME Keyring or KWallet can be reached',
    });
  });

  it.skipIf(Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))('the plain-Node studio falls back to memory + environment and holds set values in memory only', async () => {
    const store = await openNodeSecretStore('vcs-fallback');
    expect([store.backend, store.keychain]).toEqual(['environment', false]);
    expect(store.reason).toMatch(/^no D-Bus session bus/);
    store.set('hf-token', 'in memory');
    expect([store.get('hf-token'), store.has('hf-token'), store.names()]).toEqual(['in memory', true, ['hf-token']]);
    expect([store.delete('hf-token'), store.delete('hf-token'), store.names()]).toEqual([true, false, []]);
  });
});
