/**
 * Brings a finished job's artifacts back: result.json lists every file with its sha256 (the trainer's contract);
 * each is downloaded to <dest>.partial/<path>.part, resuming from its size, verified, and only when all match is
 * the folder renamed into place — a mismatch fails with the file named and nothing is published.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper, Stats } from 'ssh2';
import { IN_FLIGHT, CHUNK, resumeAt } from './bundle-upload';
import { z } from 'zod';
import { readFrom } from './ssh-remote';

/** The keys of result.json the studio relies on; the rest is kept as it is. */
export const remoteResultSchema = z.looseObject({
  files: z.record(
    z.string().refine((p) => p.length > 0 && !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), 'a relative path inside the output'),
    z.string().regex(/^[0-9a-f]{64}$/),
  ),
});
export type RemoteResult = z.infer<typeof remoteResultSchema>;

/** The artifacts themselves are wrong (not the connection): retrying cannot help, the job fails. */
export class ArtifactError extends Error {}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function sftpCall<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** Reads the remote file from `start` into the same offsets of the local one, several reads in flight; returns the bytes read. */
async function receiveFrom(sftp: SFTPWrapper, remote: string, local: string, start: number): Promise<number> {
  const handle = await sftpCall<Buffer>((cb) => sftp.open(remote, 'r', cb));
  const fd = await open(local, start > 0 ? 'r+' : 'w');
  let got = 0;
  try {
    const size = (await sftpCall<Stats>((cb) => sftp.fstat(handle, cb))).size;
    await fd.truncate(Math.min(start, size));
    let next = start;
    const worker = async (): Promise<void> => {
      while (next < size) {
        const pos = next;
        const len = Math.min(CHUNK, size - pos);
        next += len;
        const buf = Buffer.allocUnsafe(len);
        const n = await sftpCall<number>((cb) => sftp.read(handle, buf, 0, len, pos, (err, bytes) => cb(err, bytes)));
        if (n !== len) throw new Error(`short read of ${remote} at ${pos}`);
        await fd.write(buf, 0, n, pos);
        got += n;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  } finally {
    await fd.close();
    await sftpCall<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
  return got;
}

export async function readRemoteResult(sftp: SFTPWrapper, path: string): Promise<RemoteResult> {
  return parseRemoteResult(await readFrom(sftp, path, 0, 16 << 20));
}

/** A job's result.json bytes, validated (missing, empty or malformed fails the job); shared by the SSH and Modal backends. */
export function parseRemoteResult(raw: Buffer | null | undefined): RemoteResult {
  if (!raw || raw.length === 0) throw new ArtifactError('the job finished without writing result.json');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ArtifactError('the job wrote a result.json that is not JSON');
  }
  const parsed = remoteResultSchema.safeParse(json);
  if (!parsed.success) throw new ArtifactError(`the job's result.json lacks a valid files list: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export async function fetchArtifacts(
  sftp: SFTPWrapper,
  opts: { remoteOut: string; result: RemoteResult; dest: string; onProgress(done: number, total: number, bytes: number): void },
): Promise<{ files: number; fetchedBytes: number }> {
  const staging = `${opts.dest}.partial`;
  const entries = Object.entries(opts.result.files);
  let fetched = 0;
  let index = 0;
  for (const [path, sha] of entries) {
    opts.onProgress(index++, entries.length, fetched);
    const final = join(staging, path);
    if (existsSync(final) && (await sha256File(final)) === sha) continue;
    const part = `${final}.part`;
    mkdirSync(dirname(part), { recursive: true });
    const start = existsSync(part) ? resumeAt(statSync(part).size, Number.MAX_SAFE_INTEGER) : 0;
    fetched += await receiveFrom(sftp, `${opts.remoteOut}/${path}`, part, start);
    const got = await sha256File(part);
    if (got !== sha) {
      rmSync(part, { force: true });
      throw new ArtifactError(`artifact ${path} failed its sha256 check (result.json says ${sha.slice(0, 12)}…, got ${got.slice(0, 12)}…); nothing was registered`);
    }
    renameSync(part, final);
  }
  writeFileSync(join(staging, 'result.json'), JSON.stringify(opts.result, null, 2));
  rmSync(opts.dest, { recursive: true, force: true });
  renameSync(staging, opts.dest);
  opts.onProgress(entries.length, entries.length, fetched);
  return { files: entries.length, fetchedBytes: fetched };
}
