/** The one interface every secret backend implements, so jobs and handlers never know where a value is kept. */
import type { SecretBackend, SecretName } from '../../shared/secret-names';

/** Synchronous on purpose: SSH reconnects and job starts read a value at the moment they need it, never from a copy on disk. */
export interface SecretStore {
  readonly backend: SecretBackend;
  /** True only for a real OS keychain. */
  readonly keychain: boolean;
  /** Why there is no keychain, in plain words; null when there is one. */
  readonly reason: string | null;
  get(name: SecretName): string | undefined;
  set(name: SecretName, value: string): void;
  /** True when a value was there. */
  delete(name: SecretName): boolean;
  has(name: SecretName): boolean;
  /** The names this backend holds a value for (never the values). */
  names(): SecretName[];
}

/** The service name secrets are filed under in the OS keychain. */
export const KEYCHAIN_SERVICE = 'vlm-classifier-studio';
