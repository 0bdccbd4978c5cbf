/** The studio's own known_hosts file (OpenSSH line format): a host key is trusted only after the user confirmed its fingerprint. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HostKey {
  type: string;
  /** The raw public key blob as the host sent it. */
  blob: Buffer;
}

/** OpenSSH writes a non-default port as `[host]:port`. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first length-prefixed string of the blob (e.g. ssh-ed25519). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
}

/** The keys the file trusts for a host (several types may be trusted at once). */
export function knownKeys(file: string, host: string, port: number): HostKey[] {
  const pattern = hostPattern(host, port);
  const keys: HostKey[] = [];
  for (const line of readLines(file)) {
    const [hosts, type, b64] = line.trim().split(/\s+/);
    if (hosts && type && b64 && hosts.split(',').includes(pattern)) keys.push({ type, blob: Buffer.from(b64, 'base64') });
  }
  return keys;
}

/** 'changed': the host offers a key of a type we know, but a different one — refused until the user re-trusts it. */
export function checkHostKey(file: string, host: string, port: number, blob: Buffer): 'known' | 'unknown' | 'changed' {
  const known = knownKeys(file, host, port);
  if (known.some((k) => k.blob.equals(blob))) return 'known';
  return known.length > 0 ? 'changed' : 'unknown';
}

/** Trusts a key for a host, replacing any older key for it (tmp + rename, so a crash never leaves half a file). */
export function trustHostKey(file: string, host: string, port: number, blob: Buffer): void {
  const pattern = hostPattern(host, port);
  const kept = readLines(file).filter((l) => !l.trim().split(/\s+/)[0]?.split(',').includes(pattern));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, [...kept, `${pattern} ${keyType(blob)} ${blob.toString('base64')}`, ''].join('\n'), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Where a workspace keeps the host keys its user confirmed. */
export function studioKnownHostsFile(workspaceRoot: string): string {
  return join(workspaceRoot, 'ssh', 'known_hosts');
}
