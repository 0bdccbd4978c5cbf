/** SSH host configs and host-key answers shared by main, the IPC contract and the renderer. */
import { z } from 'zod';

export const sshHostInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  host: z.string().trim().min(1).max(255).regex(/^[\w.:[\]-]+$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'a user name'),
  keyPath: z.string().min(1).max(4096),
  workDir: z.string().trim().min(1).max(1024).regex(/^[\w./~-]+$/, 'a path of letters, digits, . _ - / ~'),
  /** The host's Python with the trainer's packages installed (trainer/requirements-gpu.txt on a GPU box). */
  python: z.string().trim().min(1).max(1024).regex(/^[\w./~-]+$/, 'a path of letters, digits, . _ - / ~').default('python3'),
});
export type SshHostInput = z.input<typeof sshHostInputSchema>;

export interface SshHost {
  id: number;
  name: string;
  host: string;
  port: number;
  username: string;
  keyPath: string;
  workDir: string;
  python: string;
  createdAt: string;
}

/** What probing a host says about its key: the caller confirms an unknown fingerprint before trusting it. */
export interface HostKeyProbe {
  hostId: number;
  /** OpenSSH-style `SHA256:<base64>` of the key the host offered. */
  fingerprint: string;
  keyType: string;
  state: 'known' | 'unknown' | 'changed';
}
