/** Downloads one Hub file into `<dest>.part` with resume (HTTP Range), then checks size and hash before renaming it. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { StudioError } from '../errors';
import { abortReason, hubFetch, networkCause, resolveUrl, type HubContext, type HubTreeEntry } from './hub-api';

export interface FileResult {
  sha256: string;
  /** Commit the Hub resolved the revision to (X-Repo-Commit), when a request was made and it said. */
  commit?: string;
}

/** Bytes of an entry as stored (LFS files list the pointer's size in `size`, the content's in `lfs.size`). */
export function entrySize(entry: HubTreeEntry): number {
  return entry.lfs?.size ?? entry.size;
}

class Hashes {
  readonly sha256: Hash = createHash('sha256');
  /** Git blob id (what the tree API's `oid` is for non-LFS files). */
  readonly gitSha1: Hash;
  constructor(size: number) {
    this.gitSha1 = createHash('sha1').update(`blob ${size}\0`);
  }
  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.gitSha1.update(chunk);
  }
}

/**
 * Makes `dest` hold the verified file. `onBytes(n)` is told about every byte that counts towards the file, including
 * those already on disk from an earlier attempt (and negative n when a partial file has to be thrown away).
 */
export async function downloadHubFile(ctx: HubContext, entry: HubTreeEntry, dest: string, onBytes: (n: number) => void): Promise<FileResult> {
  const size = entrySize(entry);
  const done = await stat(dest).catch(() => null);
  if (done?.isFile() && done.size === size) {
    const hashes = await hashFile(dest, size);
    if (verify(entry, hashes) === null) {
      onBytes(size);
      return { sha256: hashes.sha256.digest('hex') };
    }
    await rm(dest, { force: true });
  }

  const part = `${dest}.part`;
  let have = (await stat(part).catch(() => null))?.size ?? 0;
  if (have > size) {
    await rm(part, { force: true });
    have = 0;
  }
  let hashes = have > 0 ? await hashFile(part, size) : new Hashes(size);
  onBytes(have);
  let commit: string | undefined;

  if (have < size || size === 0) {
    const res = await hubFetch(ctx, resolveUrl(ctx, entry.path), have > 0 ? { range: `bytes=${have}-` } : {}, entry.path);
    commit = res.headers.get('x-repo-commit') ?? undefined;
    const resumed = have > 0 && res.status === 206 && rangeStart(res.headers.get('content-range')) === have;
    if (!resumed && have > 0) {
      // The server sent the whole file (200) or an unexpected range: start over.
      onBytes(-have);
      have = 0;
      hashes = new Hashes(size);
    }
    have = await appendBody(ctx, res, part, have, size, hashes, onBytes, entry.path);
  }

  if (have < size) {
    throw new StudioError('failed', `Download of ${entry.path} stopped after ${have} of ${size} bytes: run the download again to resume`);
  }
  const problem = verify(entry, hashes);
  if (problem !== null) {
    await rm(part, { force: true });
    throw new StudioError('failed', `${entry.path} is corrupt: ${problem}; the partial file was deleted, run the download again`);
  }
  await rename(part, dest);
  return { sha256: hashes.sha256.digest('hex'), commit };
}

async function appendBody(
  ctx: HubContext,
  res: Response,
  part: string,
  start: number,
  size: number,
  hashes: Hashes,
  onBytes: (n: number) => void,
  path: string,
): Promise<number> {
  const fh = await open(part, start === 0 ? 'w' : 'a');
  let have = start;
  try {
    if (!res.body) throw new StudioError('failed', `The Hub sent no content for ${path}`);
    for await (const chunk of res.body) {
      if (have + chunk.length > size) {
        await fh.close();
        await rm(part, { force: true });
        throw new StudioError('failed', `${path} is larger than the ${size} bytes the Hub listed; the partial file was deleted, run the download again`);
      }
      await fh.write(chunk);
      hashes.update(chunk);
      have += chunk.length;
      onBytes(chunk.length);
    }
  } catch (err) {
    if (err instanceof StudioError) throw err;
    const reason = abortReason(ctx);
    if (reason !== null) throw reason;
    throw new StudioError('failed', `Download of ${path} was interrupted after ${have} of ${size} bytes (${networkCause(err)}): run the download again to resume`);
  } finally {
    await fh.close().catch(() => undefined);
  }
  return have;
}

function rangeStart(contentRange: string | null): number | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

/** Null when the hashes match what the Hub listed, else what's wrong. */
function verify(entry: HubTreeEntry, hashes: Hashes): string | null {
  if (entry.lfs) {
    const got = hashes.sha256.copy().digest('hex');
    return got === entry.lfs.oid ? null : `sha256 ${got} doesn't match the Hub's ${entry.lfs.oid}`;
  }
  if (/^[0-9a-f]{40}$/.test(entry.oid)) {
    const got = hashes.gitSha1.copy().digest('hex');
    return got === entry.oid ? null : `git blob id ${got} doesn't match the Hub's ${entry.oid}`;
  }
  return null;
}

async function hashFile(path: string, size: number): Promise<Hashes> {
  const hashes = new Hashes(size);
  for await (const chunk of createReadStream(path)) hashes.update(chunk as Buffer);
  return hashes;
}
