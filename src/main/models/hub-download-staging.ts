/** The download's staging folder: forgetting stale partial files, reusing verified ones, and the final swap into the store. */
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StudioModelRecord } from '../../shared/model-types';
import type { HubTreeEntry } from './hub-api';
import { listModelFiles } from './model-folder-files';
import { STUDIO_MODEL_FILE } from './model-provenance';

const MANIFEST = '.download-manifest.json';

/** What the Hub says a file is: the LFS sha256, else the git blob id. */
export function entryIdentity(entry: HubTreeEntry): string {
  return entry.lfs?.oid ?? entry.oid;
}

/**
 * Deletes staged files (finished or `.part`) whose Hub identity changed since the last attempt (the revision moved),
 * then records the identities of this attempt's files.
 */
export async function reconcileStaging(staging: string, entries: HubTreeEntry[]): Promise<void> {
  await mkdir(staging, { recursive: true });
  let previous: Record<string, string> = {};
  try {
    previous = JSON.parse(await readFile(join(staging, MANIFEST), 'utf8')) as Record<string, string>;
  } catch {
    previous = {};
  }
  const current: Record<string, string> = { ...previous };
  for (const e of entries) {
    const id = entryIdentity(e);
    if (previous[e.path] !== undefined && previous[e.path] !== id) {
      await rm(join(staging, e.path), { force: true });
      await rm(join(staging, `${e.path}.part`), { force: true });
    }
    current[e.path] = id;
  }
  await writeFile(join(staging, MANIFEST), JSON.stringify(current, null, 2));
}

/** The record of an earlier download into the final folder, or null. */
export async function readStoreRecord(finalDir: string): Promise<StudioModelRecord | null> {
  try {
    const value = JSON.parse(await readFile(join(finalDir, STUDIO_MODEL_FILE), 'utf8')) as StudioModelRecord;
    return Array.isArray(value.files) ? value : null;
  } catch {
    return null;
  }
}

/** Stages a file already in the final folder with the same identity and size instead of downloading it again. */
export async function reuseFromStore(finalDir: string, record: StudioModelRecord | null, staging: string, entry: HubTreeEntry, size: number): Promise<void> {
  const known = record?.files.find((f) => f.path === entry.path);
  if (!known || known.oid !== entryIdentity(entry) || known.size !== size) return;
  const src = join(finalDir, entry.path);
  const dest = join(staging, entry.path);
  if ((await stat(src).catch(() => null))?.size !== size || (await stat(dest).catch(() => null))) return;
  await mkdir(dirname(dest), { recursive: true });
  await linkOrCopy(src, dest);
}

/**
 * Makes the staging folder hold exactly `keep` plus the earlier download's files that this one didn't replace,
 * writes studio-model.json, and swaps it into place as the final folder.
 */
export async function finalizeStaging(staging: string, finalDir: string, keep: Set<string>, record: StudioModelRecord): Promise<void> {
  for (const f of await listModelFiles(staging)) {
    if (!keep.has(f.path)) await rm(join(staging, f.path), { force: true });
  }
  await rm(join(staging, MANIFEST), { force: true });
  await pruneEmptyDirs(staging);
  const hadFinal = (await stat(finalDir).catch(() => null))?.isDirectory() ?? false;
  if (hadFinal) {
    for (const f of await listModelFiles(finalDir)) {
      if (keep.has(f.path) || f.path === STUDIO_MODEL_FILE) continue;
      await mkdir(dirname(join(staging, f.path)), { recursive: true });
      await linkOrCopy(join(finalDir, f.path), join(staging, f.path));
    }
  }
  await writeFile(join(staging, STUDIO_MODEL_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (hadFinal) {
    const old = `${staging}.replaced`;
    await rm(old, { recursive: true, force: true });
    await rename(finalDir, old);
    await rename(staging, finalDir);
    await rm(old, { recursive: true, force: true });
  } else {
    await mkdir(dirname(finalDir), { recursive: true });
    await rename(staging, finalDir);
  }
}

async function linkOrCopy(src: string, dest: string): Promise<void> {
  await link(src, dest).catch(() => copyFile(src, dest));
}

async function pruneEmptyDirs(dir: string): Promise<boolean> {
  let empty = true;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory() && (await pruneEmptyDirs(join(dir, e.name)))) await rm(join(dir, e.name), { recursive: true, force: true });
    else empty = false;
  }
  return empty;
}
