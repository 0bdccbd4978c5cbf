/** The one list of secrets the studio keeps (names, kinds, labels, environment variables); values never leave main. */
import { z } from 'zod';

/** Secret kinds; `ssh-passphrase` is per SSH host (`ssh-passphrase:<hostId>`), the others are single. */
export const SECRET_KINDS = ['ssh-passphrase', 'modal-token-id', 'modal-token-secret', 'hf-token'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export type SecretName = `ssh-passphrase:${number}` | Exclude<SecretKind, 'ssh-passphrase'>;

/** What each kind is for, in the words the Secrets panel shows. */
export const SECRET_KIND_LABELS: Record<SecretKind, string> = {
  'ssh-passphrase': 'SSH key passphrase',
  'modal-token-id': 'Modal token id',
  'modal-token-secret': 'Modal token secret',
  'hf-token': 'Hugging Face token',
};

/** The single (not per-host) names, in the order the panel lists them. */
export const SINGLE_SECRET_NAMES = ['hf-token', 'modal-token-id', 'modal-token-secret'] as const satisfies readonly SecretName[];

const NAME_RE = /^(?:ssh-passphrase:[1-9][0-9]{0,15}|modal-token-id|modal-token-secret|hf-token)$/;

export function isSecretName(value: string): value is SecretName {
  return NAME_RE.test(value);
}

export const secretNameSchema = z
  .string()
  .regex(NAME_RE, 'a secret name: hf-token, modal-token-id, modal-token-secret or ssh-passphrase:<hostId>')
  .transform((s) => s as SecretName);

/** The secret name of an SSH host's key passphrase. */
export function sshPassphraseName(hostId: number): SecretName {
  return `ssh-passphrase:${hostId}`;
}

export function secretKind(name: SecretName): SecretKind {
  return name.startsWith('ssh-passphrase:') ? 'ssh-passphrase' : (name as SecretKind);
}

/** Environment variable that supplies a secret where no keychain exists: STUDIO_SECRET_HF_TOKEN, STUDIO_SECRET_SSH_PASSPHRASE_<hostId>. */
export function secretEnvVar(name: SecretName): string {
  if (name.startsWith('ssh-passphrase:')) return `STUDIO_SECRET_SSH_PASSPHRASE_${name.slice('ssh-passphrase:'.length)}`;
  return `STUDIO_SECRET_${name.replace(/-/g, '_').toUpperCase()}`;
}

/** Where the studio keeps secrets: Electron safeStorage, the OS keyring from Node, or nowhere durable (environment + memory). */
export const SECRET_BACKENDS = ['electron-safe-storage', 'os-keyring', 'environment'] as const;
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

export const SECRET_BACKEND_LABELS: Record<SecretBackend, string> = {
  'electron-safe-storage': 'the OS keychain, through Electron safeStorage',
  'os-keyring': 'the OS keychain',
  environment: 'no keychain: environment variables and memory only',
};

/** Where a set secret's value comes from right now. */
export type SecretSource = 'keychain' | 'environment' | 'memory';

export interface SecretsStatus {
  backend: SecretBackend;
  /** True only when values are kept by a real OS keychain (never a plaintext file). */
  keychain: boolean;
  /** Why there is no keychain, in plain words (null when there is one). */
  reason: string | null;
  /** The names that have a value, and where it comes from; never the values. */
  set: Array<{ name: SecretName; source: SecretSource }>;
}

/** Secret value limits: tokens and passphrases are short; a value is one line. */
export const secretValueSchema = z
  .string()
  .min(1, 'the value is empty')
  .max(4096, 'the value is longer than 4096 characters')
  .refine((v) => !/[\r\n\0]/.test(v), 'the value must be one line (no newlines or NUL)');
