/**
 * The OS keychain from plain Node (browser host, CLI) through @napi-rs/keyring: macOS Keychain, Windows Credential
 * Manager, and on Linux the Secret Service over D-Bus only (never the kernel keyring, which forgets at reboot).
 */
import { createRequire } from 'node:module';
import { isSecretName, type SecretName } from '../../shared/secret-names';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

type KeyringModule = typeof import('@napi-rs/keyring');

/** How long the probe's read may take before the keychain counts as absent. */
const READ_MS = 5_000;
/** A write may wait for the user to answer an unlock prompt. */
const WRITE_MS = 20_000;
const PROBE_ACCOUNT = 'studio-keychain-probe';

export type KeyringOpen = { ok: true; store: SecretStore } | { ok: false; reason: string };

function loadKeyring(): KeyringModule {
  return createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Runs one keychain call, rejecting with `what` (and the limit) when it takes longer than ms. */
async function withTimeout<T>(ms: number, what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await call(abort.signal);
  } catch (err) {
    throw abort.signal.aborted ? new Error(`it ${what} within ${ms / 1000} s`) : err;
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the OS keychain, or says in plain words why there is none (no D-Bus session, no Secret Service, locked, no binary). */
export async function openKeyringStore(service: string = KEYCHAIN_SERVICE, env: NodeJS.ProcessEnv = process.env): Promise<KeyringOpen> {
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
    return { ok: false, reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service keychain such as GNOME Keyring or KWallet can be reached' };
  }
  let keyring: KeyringModule;
  try {
    keyring = loadKeyring();
  } catch (err) {
    return { ok: false, reason: `the OS keyring module could not be loaded on ${process.platform}-${process.arch}: ${firstLine(err)}` };
  }
  const options = { linux: { store: 'secret-service' as const } };
  try {
    // The constructor already talks to the store (it throws when the Secret Service does not answer). A write and a
    // delete, not just a read: a Secret Service without a default (or with a locked) keyring answers reads but no writes.
    const probe = new keyring.AsyncEntry(service, PROBE_ACCOUNT, options);
    await withTimeout(READ_MS, 'did not answer', (signal) => probe.getPassword(signal));
    await withTimeout(WRITE_MS, 'did not accept a value (locked, or waiting for an unlock prompt)', (signal) => probe.setPassword('probe', signal));
    await withTimeout(WRITE_MS, 'did not delete a value', (signal) => probe.deleteCredential(signal));
  } catch (err) {
    return { ok: false, reason: `the OS keychain is not usable: ${firstLine(err)}` };
  }
  const entry = (name: SecretName) => new keyring.Entry(service, name, options);
  const store: SecretStore = {
    backend: 'os-keyring',
    keychain: true,
    reason: null,
    get: (name) => entry(name).getPassword() ?? undefined,
    set: (name, value) => entry(name).setPassword(value),
    delete: (name) => entry(name).deletePassword(),
    has: (name) => entry(name).getPassword() !== null,
    names: () =>
      keyring
        .findCredentials(service)
        .map((c) => c.account)
        .filter(isSecretName)
        .sort(),
  };
  return { ok: true, store };
}
