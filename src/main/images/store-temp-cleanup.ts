/** Removes temp files (`<target>.tmp-<pid>-<hex>`) that a killed import left in the image store; a live writer's files are kept. */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../system/process-identity';
import type { Workspace } from '../workspace/workspace';

/** Store temp names carry the writer's pid (see tempName in image-store.ts). */
export const STORE_TEMP_RE = /\.tmp-(\d+)-[0-9a-f]+$/;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Deletes stale temp files in images/<xx>/ and thumbs/<xx>/; returns how many. */
export function cleanStoreTemps(ws: Pick<Workspace, 'imagesDir' | 'thumbsDir'>): number {
  let removed = 0;
  for (const top of [ws.imagesDir, ws.thumbsDir]) {
    for (const shard of entries(top)) {
      const dir = join(top, shard);
      for (const name of entries(dir)) {
        const m = STORE_TEMP_RE.exec(name);
        if (!m || isProcessAlive(Number(m[1]), null)) continue;
        rmSync(join(dir, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
