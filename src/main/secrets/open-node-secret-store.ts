/** Picks the secret store for a plain-Node studio (browser host, CLI): the OS keychain when one answers, else memory + environment. */
import { memorySecretStore } from './memory-secret-store';
import { openKeyringStore } from './keyring-secret-store';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

/** Never throws: where no keychain exists the store says why, and secrets come from STUDIO_SECRET_* or per-job memory. */
export async function openNodeSecretStore(service: string = KEYCHAIN_SERVICE): Promise<SecretStore> {
  const opened = await openKeyringStore(service);
  return opened.ok ? opened.store : memorySecretStore(opened.reason);
}
