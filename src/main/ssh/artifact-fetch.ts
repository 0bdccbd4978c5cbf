/**
 * Brings a finished job's artifacts back: result.json lists every file with its sha256 (the trainer's contract);
 * each is downloaded to <dest>.partial/<path>.part, resuming from its size, verified, and only when all match is
 * the folder renamed into place — a mismatch fails with the file named and nothing is published.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
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

export async function readRemoteResult(sftp: SFTPWrapper, path: string): Promise<RemoteResult> {
  const raw = await readFrom(sftp, path, 0, 16 << 20);
  if (raw.length === 0) throw new ArtifactError('the job finished without writing result.json');
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
  opts: { remoteOut: string; result: RemoteResult; dest: string; onProgress(done: number, total: number): void },
): Promise<{ files: number; fetchedBytes: number }> {
  const staging = `${opts.dest}.partial`;
  const entries = Object.entries(opts.result.files);
  let fetched = 0;
  let index = 0;
  for (const [path, sha] of entries) {
    opts.onProgress(index++, entries.length);
    const final = join(staging, path);
    if (existsSync(final) && (await sha256File(final)) === sha) continue;
    const part = `${final}.part`;
    mkdirSync(dirname(part), { recursive: true });
    const start = existsSync(part) ? statSync(part).size : 0;
    const source = sftp.createReadStream(`${opts.remoteOut}/${path}`, { start });
    source.on('data', (c: Buffer) => (fetched += c.length));
    await pipeline(source, createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }));
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
  opts.onProgress(entries.length, entries.length);
  return { files: entries.length, fetchedBytes: fetched };
}
