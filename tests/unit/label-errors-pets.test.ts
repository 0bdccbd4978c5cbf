/**
 * The measurement as a test: flip 10% of the 370 Oxford pets labels (seeded), evaluate MobileNetV2 with the
 * cats/dogs mapping, and require the finder's top-k suspects (k = number flipped) to be ≥ 80% flipped samples.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyEdit } from '../../src/main/datasets/sample-edits';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { runEval } from '../../src/main/evals/run-eval';
import { labelErrorsFinder } from '../../src/main/finders/label-errors/index';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { mulberry32, shuffleInPlace } from '../../src/main/splits/seeded-rng';
import { createVersion } from '../../src/main/versions/snapshot';
import { OXFORD_PETS } from '../fixtures/real-photos';
import { MOBILENET_DIR } from './eval-fixture';
import { finderContext } from './helpers/finder-context';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

let tw: TempWorkspace;
beforeAll(() => {
  tw = makeTempWorkspace('vcs-le-pets-');
});
afterAll(() => tw?.cleanup());

it('finds flipped Oxford pets labels: top-k precision ≥ 0.8 (k = number flipped)', async () => {
  const report = await runImport(tw.ws, { source: `${OXFORD_PETS}/manifest.csv`, format: 'csv', datasetName: 'oxford-pets' }, {});
  expect([report.imported, report.classes]).toEqual([370, ['cat', 'dog']]);
  const datasetId = report.datasetId;
  const samples = tw.db.prepare(
    `SELECT s.id, c.name AS label FROM samples s JOIN classes c ON c.id = s.class_id WHERE s.dataset_id = ? ORDER BY s.id`,
  ).all(datasetId) as { id: number; label: 'cat' | 'dog' }[];
  const classId = (name: string) => tw.db.prepare('SELECT id FROM classes WHERE dataset_id = ? AND name = ?').pluck().get(datasetId, name) as number;

  // Flip a seeded 10% through the studio's own relabel edits (audit-logged like a person's).
  const k = Math.round(samples.length * 0.1);
  const order = samples.map((s) => s.id);
  shuffleInPlace(order, mulberry32(20211));
  const flipped = new Set(order.slice(0, k));
  const label = new Map(samples.map((s) => [s.id, s.label]));
  for (const [from, to] of [['cat', 'dog'], ['dog', 'cat']] as const) {
    const ids = [...flipped].filter((id) => label.get(id) === from);
    if (ids.length > 0) applyEdit(tw.db, datasetId, { kind: 'relabel', sampleIds: ids, classId: classId(to) });
  }

  const version = createVersion(tw.db, datasetId, 'flipped');
  const model = await registerModel(tw.db, MOBILENET_DIR, { name: 'mobilenetv2' });
  const planned = await createEvalRun(tw.db, {
    name: 'mobilenet cats/dogs',
    versionId: version.id,
    split: 'all',
    modelId: model.id,
    mode: 'classifier',
    seed: 23,
    nSamples: null,
    classMapping: 'imagenet-cats-vs-dogs',
  });
  const run = await runEval(tw.ws, planned.id);
  expect(run.status).toBe('done');

  const suspects = await labelErrorsFinder.run(finderContext<'label-errors'>(tw.ws, datasetId, { runId: run.id }));
  const top = suspects.slice(0, k);
  const hits = top.filter((s) => flipped.has(s.sampleId));
  const precision = hits.length / k;
  const recall = hits.length / flipped.size;
  const allHits = suspects.filter((s) => flipped.has(s.sampleId)).length;
  // Suggested label of a found flip is its original label.
  const suggestionsRight = hits.filter((s) => s.suggestedLabel === label.get(s.sampleId)).length;
  console.log(
    `label-errors on oxford-pets-370: flipped ${k}, model accuracy on flipped labels ${run.metrics?.accuracy.toFixed(3)}, ` +
      `suspects ${suspects.length}; top-${k}: ${hits.length} flipped → precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; ` +
      `all suspects: precision ${(allHits / suspects.length).toFixed(3)}, recall ${(allHits / k).toFixed(3)}; ` +
      `suggested label = original label for ${suggestionsRight}/${hits.length}`,
  );
  expect(precision).toBeGreaterThanOrEqual(0.8);
  expect(suggestionsRight).toBe(hits.length);
}, 600_000);
