/** The secrets status (backend, names set; never values) and the SSH hosts to offer passphrases for, with set/remove actions. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SecretName, SecretsStatus } from '../../../shared/secret-names';
import type { SshHost } from '../../../shared/ssh-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export interface SecretsState {
  status: SecretsStatus | null;
  hosts: SshHost[];
  /** Resolves true when saved; the caller clears its input either way. */
  save: (name: SecretName, value: string, label: string) => Promise<boolean>;
  remove: (name: SecretName, label: string) => Promise<void>;
}

const NO_HOSTS: SshHost[] = [];

export function useSecrets(): SecretsState {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const status = useQuery({ queryKey: queryKeys.secrets, queryFn: () => api.secrets.status({}), meta: { errorContext: 'Reading the secrets status' } });
  const hosts = useQuery({ queryKey: queryKeys.hosts, queryFn: () => api.hosts.list({}), meta: { errorContext: 'Listing SSH hosts' } });

  const save = useCallback(
    async (name: SecretName, value: string, label: string) => {
      try {
        client.setQueryData(queryKeys.secrets, await api.secrets.set({ name, value }));
        showToast(`Saved the ${label}`);
        return true;
      } catch (error) {
        reportError(`Saving the ${label}`, error);
        return false;
      }
    },
    [api, client, reportError, showToast],
  );

  const remove = useCallback(
    async (name: SecretName, label: string) => {
      try {
        client.setQueryData(queryKeys.secrets, await api.secrets.remove({ name }));
        showToast(`Removed the ${label}`);
      } catch (error) {
        reportError(`Removing the ${label}`, error);
      }
    },
    [api, client, reportError, showToast],
  );

  return { status: status.data ?? null, hosts: hosts.data ?? NO_HOSTS, save, remove };
}
