/** Checks that every image a dataset references is still in the store and intact (regular file, no symlink, bytes match the hash); reports, never crashes. */
import type { Db } from '../db/open-database';
import type { DamagedStoreFile, MissingStoreFile, StoreReport } from '../../shared/domain';
import { imagePath, thumbPath, type Workspace } from '../workspace/workspace';
import { checkStoreFile } from './store-file';

export type { DamagedStoreFile, MissingStoreFile, StoreReport } from '../../shared/domain';

export async function verifyStore(ws: Pick<Workspace, 'db' | 'imagesDir' | 'thumbsDir'>, datasetId: number): Promise<StoreReport> {
  const db: Db = ws.db;
  const rows = db
    .prepare(
      `SELECT s.id, s.image_hash AS hash, s.original_path AS originalPath, i.ext, i.has_thumb AS hasThumb
       FROM samples s JOIN images i ON i.hash = s.image_hash
       WHERE s.dataset_id = ? ORDER BY s.id`,
    )
    .all(datasetId) as { id: number; hash: string; originalPath: string; ext: string; hasThumb: number }[];
  const byHash = new Map<string, { ids: number[]; originalPath: string; ext: string; hasThumb: boolean }>();
  for (const r of rows) {
    const entry = byHash.get(r.hash);
    if (entry) entry.ids.push(r.id);
    else byHash.set(r.hash, { ids: [r.id], originalPath: r.originalPath, ext: r.ext, hasThumb: r.hasThumb === 1 });
  }
  const missingOriginals: MissingStoreFile[] = [];
  const damagedOriginals: DamagedStoreFile[] = [];
  const missingThumbs: string[] = [];
  const damagedThumbs: StoreReport['damagedThumbs'] = [];
  for (const [hash, e] of byHash) {
    const storePath = imagePath(ws, hash, e.ext);
    const original = await checkStoreFile(storePath, hash);
    const file = { hash, sampleIds: e.ids, originalPath: e.originalPath, storePath };
    if (original?.problem === 'missing') missingOriginals.push(file);
    else if (original) damagedOriginals.push({ ...file, problem: original.problem, detail: original.message });
    if (!e.hasThumb) continue;
    const thumb = await checkStoreFile(thumbPath(ws, hash), null, 'thumbnail');
    if (thumb?.problem === 'missing') missingThumbs.push(hash);
    else if (thumb) damagedThumbs.push({ hash, problem: thumb.problem, detail: thumb.message });
  }
  return { datasetId, checked: byHash.size, missingOriginals, damagedOriginals, missingThumbs, damagedThumbs };
}
