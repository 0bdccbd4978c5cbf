/** A workspace = one SQLite file + a content-addressed image store + thumbnails, all under one folder. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../db/open-database';
import { cleanStoreTemps } from '../images/store-temp-cleanup';
import { recoverDeadClaims } from '../evals/eval-claim';

export interface Workspace {
  root: string;
  dbPath: string;
  /** Originals by content hash: images/ab/<sha256>.<ext> */
  imagesDir: string;
  /** WebP thumbnails by content hash: thumbs/ab/<sha256>.webp */
  thumbsDir: string;
  db: Db;
  close(): void;
}

export function workspacePaths(root: string): Omit<Workspace, 'db' | 'close'> {
  const abs = resolve(root);
  return {
    root: abs,
    dbPath: join(abs, 'studio.db'),
    imagesDir: join(abs, 'images'),
    thumbsDir: join(abs, 'thumbs'),
  };
}

/** Opens (or creates) a workspace; the database is opened first so a refused one (newer schema) leaves the folder untouched. */
export function openWorkspace(root: string): Workspace {
  const paths = workspacePaths(root);
  mkdirSync(paths.root, { recursive: true });
  const db = openDatabase(paths.dbPath);
  try {
    mkdirSync(paths.imagesDir, { recursive: true });
    mkdirSync(paths.thumbsDir, { recursive: true });
    cleanStoreTemps(paths);
    // An eval whose process died (kill -9, crash) would otherwise stay 'running' forever.
    recoverDeadClaims(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return { ...paths, db, close: () => db.close() };
}

/** Store path of an original image by content hash. */
export function imagePath(ws: Pick<Workspace, 'imagesDir'>, hash: string, ext: string): string {
  return join(ws.imagesDir, hash.slice(0, 2), `${hash}.${ext}`);
}

/** Store path of a thumbnail by content hash. */
export function thumbPath(ws: Pick<Workspace, 'thumbsDir'>, hash: string): string {
  return join(ws.thumbsDir, hash.slice(0, 2), `${hash}.webp`);
}

/** Where Hub downloads land (one folder per repo + revision). */
export function modelStoreDir(ws: Pick<Workspace, 'root'>): string {
  return join(ws.root, 'models');
}
