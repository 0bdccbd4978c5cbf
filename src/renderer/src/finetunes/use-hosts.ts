/** SSH hosts and their host-key answers from the one query cache (a probe's failure is part of its answer, shown beside the host). */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HostKeyProbe, SshHost } from '../../../shared/ssh-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

const NO_HOSTS: SshHost[] = [];

export type HostKeyAnswer = { probe: HostKeyProbe; error: null } | { probe: null; error: string };

export function useHosts(): { hosts: SshHost[]; loaded: boolean } {
  const { api } = useStudio();
  const q = useQuery({ queryKey: queryKeys.hosts, queryFn: () => api.hosts.list({}), meta: { errorContext: 'Loading SSH hosts' } });
  return { hosts: q.data ?? NO_HOSTS, loaded: q.isFetched };
}

export const hostKeyQueryKey = (hostId: number) => [...queryKeys.hosts, 'probe', hostId] as const;

/** Errors are the message of why the host could not be reached; "check again" refetches. */
export function useHostKey(hostId: number | null): { answer: HostKeyAnswer | undefined; checking: boolean; recheck: () => void } {
  const { api } = useStudio();
  const q = useQuery({
    queryKey: hostKeyQueryKey(hostId ?? 0),
    queryFn: async (): Promise<HostKeyAnswer> => {
      try {
        return { probe: await api.hosts.probe({ hostId: hostId as number }), error: null };
      } catch (e) {
        return { probe: null, error: e instanceof Error ? e.message : String(e) };
      }
    },
    enabled: hostId !== null,
    staleTime: Infinity,
  });
  return { answer: hostId === null ? undefined : q.data, checking: q.isFetching, recheck: () => void q.refetch() };
}

/** Trusts the fingerprint the user saw and caches the host's new answer. */
export function useTrustHost(): (hostId: number, fingerprint: string) => Promise<void> {
  const { api } = useStudio();
  const client = useQueryClient();
  return async (hostId, fingerprint) => {
    try {
      const probe = await api.hosts.trust({ hostId, fingerprint });
      client.setQueryData<HostKeyAnswer>(hostKeyQueryKey(hostId), { probe, error: null });
    } catch (e) {
      client.setQueryData<HostKeyAnswer>(hostKeyQueryKey(hostId), { probe: null, error: e instanceof Error ? e.message : String(e) });
    }
  };
}
