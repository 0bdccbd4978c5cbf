/** Eval test fixture: a temp workspace holding a real imported, split and snapshotted set of Oxford pets photos. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetVersion } from '../../src/shared/domain';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { asset } from '../support/assets';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

export const MOBILENET_DIR = asset('models', 'mobilenetv2-12-int8');
export const PETS_DIR = asset('datasets', 'oxford-pets-370');

export interface PetsWorkspace extends TempWorkspace {
  datasetId: number;
  version: DatasetVersion;
  model: RegisteredModel;
  /** The imagefolder the photos were imported from (cat/, dog/). */
  source: string;
}

/** `perClass` photos per class, evenly spaced through the sorted listing so many breeds appear. */
function copyPhotos(dest: string, perClass: number): void {
  for (const [from, label] of [
    ['cats', 'cat'],
    ['dogs', 'dog'],
  ] as const) {
    const files = readdirSync(join(PETS_DIR, from)).filter((f) => f.endsWith('.jpg')).sort();
    mkdirSync(join(dest, label), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const f = files[Math.floor((i * files.length) / perClass)];
      copyFileSync(join(PETS_DIR, from, f), join(dest, label, f));
    }
  }
}

/** Imports 2·perClass real photos (real import: hashing, store, thumbnails), splits 50/0/50 and snapshots "v1". */
export async function makePetsWorkspace(perClass = 15): Promise<PetsWorkspace> {
  const tw = makeTempWorkspace('vcs-eval-');
  const source = mkdtempSync(join(tmpdir(), 'vcs-eval-src-'));
  copyPhotos(source, perClass);
  const report = await runImport(tw.ws, { source, format: 'imagefolder', datasetName: 'pets' }, {});
  if (report.imported !== 2 * perClass) throw new Error(`fixture import brought in ${report.imported} photos, expected ${2 * perClass}`);
  assignSplits(tw.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.5, val: 0, test: 0.5 } });
  const version = createVersion(tw.db, report.datasetId, 'v1');
  const model = await registerModel(tw.db, MOBILENET_DIR, { name: 'mobilenet' });
  return {
    ...tw,
    datasetId: report.datasetId,
    version,
    model,
    source,
    cleanup: () => {
      tw.cleanup();
      rmSync(source, { recursive: true, force: true });
    },
  };
}
