/**
 * Reads and checks image-store files without trusting them: never through a symlink (O_NOFOLLOW),
 * only regular files, and originals only when their bytes hash to the name they are stored under.
 * Used by the media route (both hosts), exports and verifyStore.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StudioError } from '../errors';

export type StoreFileProblem = 'missing' | 'symlink' | 'not-a-regular-file' | 'altered';

export class StoreFileError extends StudioError {
  constructor(
    readonly problem: StoreFileProblem,
    readonly path: string,
    detail: string,
  ) {
    super(problem === 'missing' ? 'not-found' : 'failed', detail);
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens a store file without following a symlink and checks it is a regular file. */
async function openStoreFile(path: string, what: string): Promise<{ fh: FileHandle; st: Stats }> {
  let fh: FileHandle;
  try {
    fh = await open(path, FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StoreFileError('missing', path, `${what} missing from the image store`);
    if (code === 'ELOOP') throw new StoreFileError('symlink', path, `${what} in the image store is a symbolic link; not used (${path})`);
    throw err;
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new StoreFileError('not-a-regular-file', path, `${what} in the image store is not a regular file; not used (${path})`);
  }
  return { fh, st };
}

function alteredError(path: string, what: string): StoreFileError {
  return new StoreFileError('altered', path, `${what} in the image store does not match its content hash (the file was altered); not used (${path})`);
}

/** The file's bytes; with `hash`, only when they hash to it. `what` names the file in errors ("original", "thumbnail"). */
export async function readStoreFile(path: string, hash: string | null, what = 'original'): Promise<Buffer> {
  const { fh } = await openStoreFile(path, what);
  let bytes: Buffer;
  try {
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  if (hash !== null && createHash('sha256').update(bytes).digest('hex') !== hash) throw alteredError(path, what);
  return bytes;
}

/** Files already hashed, by path → identity (device, inode, size, mtime, ctime) at that time, so a re-verify is cheap. */
const verified = new Map<string, string>();

function identity(st: Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** Checks a store file (type, and with `hash` its content) without reading it into memory; null when sound. */
export async function checkStoreFile(path: string, hash: string | null, what = 'original'): Promise<StoreFileError | null> {
  let opened: { fh: FileHandle; st: Stats };
  try {
    opened = await openStoreFile(path, what);
  } catch (err) {
    if (err instanceof StoreFileError) return err;
    throw err;
  }
  const { fh, st } = opened;
  try {
    if (hash === null || verified.get(path) === identity(st)) return null;
    const h = createHash('sha256');
    for await (const chunk of fh.createReadStream({ autoClose: false })) h.update(chunk as Buffer);
    if (h.digest('hex') !== hash) {
      verified.delete(path);
      return alteredError(path, what);
    }
    verified.set(path, identity(st));
    return null;
  } finally {
    await fh.close();
  }
}
