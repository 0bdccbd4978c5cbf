/** The store where no keychain exists: values set in the studio live in this process's memory only and are gone at exit. */
import type { SecretName } from '../../shared/secret-names';
import type { SecretStore } from './secret-store';

/** reason: why no keychain could be used, shown to the user as is. */
export function memorySecretStore(reason: string): SecretStore {
  const values = new Map<SecretName, string>();
  return {
    backend: 'environment',
    keychain: false,
    reason,
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    delete: (name) => values.delete(name),
    has: (name) => values.has(name),
    names: () => [...values.keys()],
  };
}
