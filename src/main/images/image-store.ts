/**
 * Content-addressed image store writes: originals by sha256 (copied — reflinked where the file system
 * can — to a temp file + atomic rename; never hard-linked, so editing a source file later cannot
 * change the stored bytes behind their hash) and WebP thumbnails (temp + rename).
 * A store file either exists complete or not at all, so a crashed import can simply be rerun.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { imagePath, thumbPath, type Workspace } from '../workspace/workspace';
import { checkStoreFile } from './store-file';

type StoreDirs = Pick<Workspace, 'imagesDir' | 'thumbsDir'>;

const madeDirs = new Set<string>();

/** Runs fn after making sure dir exists; the mkdir is cached per process and redone if the folder vanished. */
async function inDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  try {
    return await fn();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return fn();
  }
}

/** `<target>.tmp-<pid>-<hex>`: the pid lets cleanStoreTemps tell a killed writer's leftovers from live ones. */
function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** True when the path exists (any error reads as absent). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Stores the original at imagePath(ws, hash, ext); returns that path. A sound file already there is kept; a symlinked or altered one is replaced. */
export async function putImage(ws: StoreDirs, srcPath: string, hash: string, ext: string): Promise<string> {
  const target = imagePath(ws, hash, ext);
  if ((await checkStoreFile(target, hash)) === null) return target; // already stored (content-addressed: same bytes)
  const temp = tempName(target);
  try {
    await inDir(dirname(target), () => copyFile(srcPath, temp, constants.COPYFILE_FICLONE));
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return target;
}

/** Writes bytes atomically (temp file + rename). */
export async function writeAtomic(target: string, bytes: Uint8Array): Promise<void> {
  const temp = tempName(target);
  try {
    await inDir(dirname(target), () => writeFile(temp, bytes));
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Stores a thumbnail at thumbPath(ws, hash); returns that path. */
export async function putThumb(ws: StoreDirs, hash: string, webp: Uint8Array): Promise<string> {
  const target = thumbPath(ws, hash);
  await writeAtomic(target, webp);
  return target;
}

/** True when the thumbnail for this hash is already in the store (a rerun skips re-encoding it). */
export function hasThumb(ws: StoreDirs, hash: string): Promise<boolean> {
  return fileExists(thumbPath(ws, hash));
}
