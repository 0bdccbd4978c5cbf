/** Eval test fixture: a temp workspace holding a real imported, split and snapshotted set of Oxford pets photos. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetVersion } from '../../src/shared/domain';
import type { ClassMapping } from '../../src/shared/class-mapping-types';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { asset } from '../support/assets';
import { copyPetsSpread } from '../fixtures/real-photos';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

export const MOBILENET_DIR = asset('models', 'mobilenetv2-12-int8');

/** The mapping the class-mappings e2e builds on MobileNetV2: dogs 151–268, domestic cats 281–285, everything else → "other". */
export const PETS_OTHER: ClassMapping = {
  name: 'pets-with-other',
  classes: [
    { label: 'cat', modelClasses: [{ from: 281, to: 285 }] },
    { label: 'dog', modelClasses: [{ from: 151, to: 268 }] },
  ],
  rest: 'other',
  abstain: null,
};

export interface PetsWorkspace extends TempWorkspace {
  datasetId: number;
  version: DatasetVersion;
  model: RegisteredModel;
  /** The imagefolder the photos were imported from (cat/, dog/). */
  source: string;
}

/** Imports 2·perClass real photos (real import: hashing, store, thumbnails), splits 50/0/50 and snapshots "v1". */
export async function makePetsWorkspace(perClass = 15): Promise<PetsWorkspace> {
  const tw = makeTempWorkspace('vcs-eval-');
  const source = mkdtempSync(join(tmpdir(), 'vcs-eval-src-'));
  copyPetsSpread(source, perClass);
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
