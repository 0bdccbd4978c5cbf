/**
 * The OS keychain from plain Node (browser host, CLI) through @napi-rs/keyring: macOS Keychain, Windows Credential
 * Manager, and on Linux the Secret Service over D-Bus only (never the kernel keyring, which forgets at reboot).
 */
import { createRequire } from 'node:module';
import { isSecretName, type SecretName } from '../../shared/secret-names';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

type KeyringModule = typeof import('@napi-rs/keyring');

/** How long the first keychain call may take before the keychain counts as absent (a locked one may wait for a prompt). */
const PROBE_MS = 5_000;
const PROBE_ACCOUNT = 'studio-keychain-probe';

export type KeyringOpen = { ok: true; store: SecretStore } | { ok: false; reason: string };

function loadKeyring(): KeyringModule {
  return createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
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
  const probe = new keyring.AsyncEntry(service, PROBE_ACCOUNT, options);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_MS);
  try {
    await probe.getPassword(abort.signal);
  } catch (err) {
    const why = abort.signal.aborted ? `it did not answer within ${PROBE_MS / 1000} s (locked, or waiting for an unlock prompt)` : firstLine(err);
    return { ok: false, reason: `the OS keychain is not usable: ${why}` };
  } finally {
    clearTimeout(timer);
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
