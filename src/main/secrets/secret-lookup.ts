/** Resolves a secret for a job: the per-job value held in memory first, then the store, then the STUDIO_SECRET_* variable. */
import { isSecretName, secretEnvVar, sshPassphraseName, type SecretName, type SecretsStatus } from '../../shared/secret-names';
import { StudioError } from '../errors';
import type { SecretStore } from './secret-store';

/** Values given for one job only (e.g. a passphrase typed at start); kept in memory, never persisted. */
export type PerJobSecrets = ReadonlyMap<SecretName, string>;

const ENV_PREFIX = 'STUDIO_SECRET_';

export class SecretLookup {
  constructor(
    readonly store: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get(name: SecretName, perJob?: PerJobSecrets): string | undefined {
    const given = perJob?.get(name);
    if (given) return given;
    let kept: string | undefined;
    try {
      kept = this.store.get(name);
    } catch (err) {
      throw new StudioError('failed', `could not read ${name} from ${this.store.backend}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    if (kept) return kept;
    return this.env[secretEnvVar(name)] || undefined;
  }

  /** What the Secrets panel shows: the backend, whether it is a keychain, and the names set (never values). */
  status(): SecretsStatus {
    const kept = this.store.names();
    const set: SecretsStatus['set'] = kept.map((name) => ({ name, source: this.store.keychain ? 'keychain' : 'memory' }));
    for (const name of this.envNames()) if (!kept.includes(name)) set.push({ name, source: 'environment' });
    set.sort((a, b) => a.name.localeCompare(b.name));
    return { backend: this.store.backend, keychain: this.store.keychain, reason: this.store.reason, set };
  }

  set(name: SecretName, value: string): SecretsStatus {
    try {
      this.store.set(name, value);
    } catch (err) {
      throw new StudioError('failed', `could not save ${name} in ${this.store.backend}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    return this.status();
  }

  delete(name: SecretName): SecretsStatus {
    this.store.delete(name);
    return this.status();
  }

  /** The callback the SSH executor's `passphrase` option takes, for jobs whose params name the host. */
  sshPassphrase(perJob?: PerJobSecrets): (hostId: number) => string | undefined {
    return (hostId) => this.get(sshPassphraseName(hostId), perJob);
  }

  private envNames(): SecretName[] {
    const out: SecretName[] = [];
    for (const [key, value] of Object.entries(this.env)) {
      if (!key.startsWith(ENV_PREFIX) || !value) continue;
      const tail = key.slice(ENV_PREFIX.length);
      const ssh = /^SSH_PASSPHRASE_([1-9][0-9]*)$/.exec(tail);
      const name = ssh ? `ssh-passphrase:${ssh[1]}` : tail.toLowerCase().replace(/_/g, '-');
      if (isSecretName(name) && secretEnvVar(name) === key) out.push(name);
    }
    return out;
  }
}
