/** Handlers for SSH host configs and host-key trust (the known_hosts file the workspace keeps). */
import type { Handlers } from './handler-types';
import type { Workspace } from '../workspace/workspace';
import { StudioError } from '../errors';
import { addHost, getHost, listHosts, removeHost } from '../ssh/host-store';
import { studioKnownHostsFile, trustHostKey } from '../ssh/known-hosts';
import { probeHostKey } from '../ssh/ssh-connect';

type HostChannel = Extract<keyof Handlers, `hosts:${string}`>;

export function createHostHandlers(workspace: Workspace): Pick<Handlers, HostChannel> {
  const knownHosts = studioKnownHostsFile(workspace.root);
  const probe = async (hostId: number) => {
    const { blob, ...answer } = await probeHostKey(getHost(workspace.db, hostId), knownHosts);
    return { blob, probe: { hostId, ...answer } };
  };
  return {
    'hosts:list': () => listHosts(workspace.db),
    'hosts:add': (input) => addHost(workspace.db, input),
    'hosts:remove': ({ hostId }) => ({ removed: removeHost(workspace.db, hostId) }),
    'hosts:probe': async ({ hostId }) => (await probe(hostId)).probe,
    'hosts:trust': async ({ hostId, fingerprint }) => {
      const { blob, probe: seen } = await probe(hostId);
      if (seen.fingerprint !== fingerprint) {
        throw new StudioError('conflict', `the host now offers ${seen.fingerprint}, not the confirmed ${fingerprint}; nothing was trusted`);
      }
      const host = getHost(workspace.db, hostId);
      trustHostKey(knownHosts, host.host, host.port, blob);
      return { ...seen, state: 'known' };
    },
  };
}
