/** Channel table for SSH hosts: configs, and host-key probe/trust (merged into ipc-contract.ts). */
import { z } from 'zod';
import { sshHostInputSchema, type HostKeyProbe, type SshHost } from './ssh-types';

const hostId = z.number().int().positive();

export const hostChannels = {
  'hosts:list': { args: z.object({}), result: null as unknown as SshHost[] },
  'hosts:add': { args: sshHostInputSchema, result: null as unknown as SshHost },
  'hosts:remove': { args: z.object({ hostId }), result: null as unknown as { removed: boolean } },
  /** Connects far enough to read the host's key: its fingerprint and whether known_hosts already trusts it. */
  'hosts:probe': { args: z.object({ hostId }), result: null as unknown as HostKeyProbe },
  /** Trusts the key the host offers now, only if it is the fingerprint the user confirmed. */
  'hosts:trust': {
    args: z.object({ hostId, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an OpenSSH SHA256 fingerprint') }),
    result: null as unknown as HostKeyProbe,
  },
} as const;
