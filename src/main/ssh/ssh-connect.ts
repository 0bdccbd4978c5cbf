/** Opens an ssh2 connection with key auth, the host key checked against the studio's known_hosts; every failure is one clear line. */
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { HostKeyProbe, SshHost } from '../../shared/ssh-types';
import { checkHostKey, fingerprint, keyType } from './known-hosts';

export interface ConnectOptions {
  knownHostsFile: string;
  /** Taken from the caller per use; never stored. */
  passphrase?: string;
  timeoutMs?: number;
}

type Target = Pick<SshHost, 'host' | 'port' | 'username' | 'keyPath'>;

const where = (h: Target): string => `${h.username}@${h.host}:${h.port}`;

/** Maps socket and auth errors to a one-line message that names the host. */
function explain(h: Target, err: Error & { code?: string; level?: string }): Error {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new Error(`cannot reach SSH host ${where(h)}: connection refused`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`cannot reach SSH host ${where(h)}: unknown host name`);
  if (code === 'ETIMEDOUT' || /timed out/i.test(err.message)) return new Error(`cannot reach SSH host ${where(h)}: timed out`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new Error(`cannot reach SSH host ${where(h)}: no route to host`);
  if (err.level === 'client-authentication') return new Error(`SSH host ${where(h)} refused the key ${h.keyPath}`);
  return new Error(`SSH connection to ${where(h)} failed: ${err.message.split('\n')[0]}`);
}

function readKey(h: Target): Buffer {
  try {
    return readFileSync(h.keyPath);
  } catch (err) {
    throw new Error(`cannot read the SSH key ${h.keyPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Connects only to a host whose key is in known_hosts; an unknown or CHANGED key is refused with its fingerprint. */
export function connect(h: Target, opts: ConnectOptions): Promise<Client> {
  const privateKey = readKey(h);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: Error | null = null;
    client.on('ready', () => resolve(client));
    client.on('error', (err) => {
      client.end();
      reject(refusal ?? explain(h, err));
    });
    try {
      client.connect({
        host: h.host,
        port: h.port,
        username: h.username,
        privateKey,
        passphrase: opts.passphrase,
        readyTimeout: opts.timeoutMs ?? 20_000,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer) => {
          const state = checkHostKey(opts.knownHostsFile, h.host, h.port, key);
          if (state === 'known') return true;
          refusal =
            state === 'changed'
              ? new Error(`the host key of ${h.host}:${h.port} has CHANGED (now ${fingerprint(key)}); refusing to connect — if the host was reinstalled, probe and trust it again`)
              : new Error(`the host key of ${h.host}:${h.port} is not trusted yet (${fingerprint(key)}); probe the host and confirm its fingerprint first`);
          return false;
        },
      });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/no passphrase given/i.test(msg)) return reject(new Error(`the SSH key ${h.keyPath} is encrypted: its passphrase is needed`));
      if (/passphrase|decrypt/i.test(msg)) return reject(new Error(`wrong passphrase for the SSH key ${h.keyPath}`));
      reject(new Error(`SSH connection to ${where(h)} failed: ${msg}`));
    }
  });
}

/** Reads the host's key without logging in (the handshake stops at host-key verification). */
export function probeHostKey(h: Target, knownHostsFile: string, timeoutMs = 15_000): Promise<Omit<HostKeyProbe, 'hostId'> & { blob: Buffer }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seen: Buffer | null = null;
    const done = (): void => {
      client.end();
      if (!seen) return;
      resolve({ blob: seen, fingerprint: fingerprint(seen), keyType: keyType(seen), state: checkHostKey(knownHostsFile, h.host, h.port, seen) });
    };
    client.on('error', (err) => (seen ? done() : reject(explain(h, err))));
    client.on('close', () => (seen ? done() : reject(new Error(`SSH host ${where(h)} closed the connection before sending its key`))));
    client.connect({
      host: h.host,
      port: h.port,
      username: h.username,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        seen = Buffer.from(key);
        return false;
      },
    });
  });
}
