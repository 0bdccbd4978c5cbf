/** Model registry over real folders: the MobileNetV2 classifier registers; broken folders are refused with reasons. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findModelByName,
  findModelByPath,
  getModel,
  listModels,
  registerModel,
  removeModel,
} from '../../src/main/models/model-registry';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { createVersion } from '../../src/main/versions/snapshot';
import { MOBILENET_DIR } from './eval-fixture';
import { insertSyntheticSamples, makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

let tw: TempWorkspace;
let scratch: string;
beforeEach(() => {
  tw = makeTempWorkspace();
  scratch = mkdtempSync(join(tmpdir(), 'vcs-models-'));
});
afterEach(() => {
  tw.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('model registry', () => {
  it('registers the real MobileNetV2 folder with what the inspection found', async () => {
    const m = await registerModel(tw.db, MOBILENET_DIR);
    expect(m.name).toBe('mobilenetv2-12-int8');
    expect(m.kind).toBe('onnx-classifier');
    expect(m.path).toBe(MOBILENET_DIR);
    expect(m.architecture).toBeNull();
    expect(m.defaultDtype).toBeNull();
    expect(m.totalBytes).toBeGreaterThan(1_000_000);
    expect(m.provenance.source).toBe('local');
    expect(getModel(tw.db, m.id)).toEqual(m);
    expect(listModels(tw.db)).toEqual([m]);
    expect(findModelByName(tw.db, 'MOBILENETV2-12-INT8')?.id).toBe(m.id);
    expect(findModelByPath(tw.db, MOBILENET_DIR)?.id).toBe(m.id);
  });

  it('refuses a duplicate name and an already-registered folder, naming the existing entry', async () => {
    await registerModel(tw.db, MOBILENET_DIR, { name: 'mnet' });
    const copy = join(scratch, 'copy');
    mkdirSync(copy);
    for (const f of ['labels.txt', 'mobilenetv2-12-int8.onnx']) copyFileSync(join(MOBILENET_DIR, f), join(copy, f));
    await expect(registerModel(tw.db, copy, { name: 'MNET' })).rejects.toThrow(/named "MNET" is already registered/);
    await expect(registerModel(tw.db, MOBILENET_DIR, { name: 'other' })).rejects.toThrow(/already registered as "mnet"/);
    const second = await registerModel(tw.db, copy, { name: 'mnet-copy' });
    expect(listModels(tw.db).map((m) => m.name)).toEqual(['mnet', 'mnet-copy']);
    expect(second.path).toBe(copy);
  });

  it('refuses broken folders with the inspection explanations and stores nothing', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    await expect(registerModel(tw.db, empty)).rejects.toThrow(/Cannot register .*empty/);
    const noLabels = join(scratch, 'no-labels');
    mkdirSync(noLabels);
    copyFileSync(join(MOBILENET_DIR, 'mobilenetv2-12-int8.onnx'), join(noLabels, 'model.onnx'));
    await expect(registerModel(tw.db, noLabels)).rejects.toThrow(/labels\.txt/);
    const badVlm = join(scratch, 'bad-vlm');
    mkdirSync(badVlm);
    writeFileSync(join(badVlm, 'config.json'), JSON.stringify({ model_type: 'llava', text_config: {} }));
    await expect(registerModel(tw.db, badVlm)).rejects.toThrow(/Cannot register/);
    await expect(registerModel(tw.db, join(scratch, 'absent'))).rejects.toThrow(/not found/);
    expect(listModels(tw.db)).toEqual([]);
  });

  it('removes the entry but never the files, and refuses while an eval on it is queued', async () => {
    const m = await registerModel(tw.db, MOBILENET_DIR, { name: 'mnet' });
    const ds = insertSyntheticSamples(tw.db, { count: 8, classes: ['cat', 'dog'] });
    const v = createVersion(tw.db, ds.datasetId, 'v1');
    const run = await createEvalRun(tw.db, {
      name: 'queued',
      versionId: v.id,
      split: 'all',
      modelId: m.id,
      mode: 'classifier',
      seed: 1,
      nSamples: null,
      classMapping: 'imagenet-cats-vs-dogs',
    });
    expect(() => removeModel(tw.db, m.id)).toThrow(/queued or running/);
    tw.db.prepare(`UPDATE eval_runs SET status = 'cancelled' WHERE id = ?`).run(run.id);
    removeModel(tw.db, m.id);
    expect(listModels(tw.db)).toEqual([]);
    expect(() => getModel(tw.db, m.id)).toThrow(/not found/);
    expect(existsSync(join(MOBILENET_DIR, 'mobilenetv2-12-int8.onnx'))).toBe(true);
    // The run's history survives with its model link cleared.
    const row = tw.db.prepare('SELECT model_id, config_json FROM eval_runs WHERE id = ?').get(run.id) as { model_id: number | null; config_json: string };
    expect(row.model_id).toBeNull();
    expect(JSON.parse(row.config_json).modelName).toBe('mnet');
  });
});
