/** Seed-compatible eval YAML: the seeds' configs parse, bad input gets precise errors, and export → parse round-trips. */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { exportEvalConfig, resolveEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { listModels, registerModel } from '../../src/main/models/model-registry';
import { createVersion } from '../../src/main/versions/snapshot';
import type { EvalRun } from '../../src/shared/eval-types';
import { MOBILENET_DIR } from './eval-fixture';
import { insertSyntheticSamples, makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

/** configs/cats_vs_dogs_v0.yaml from the seeds' repo, verbatim. */
const SEED_V0 = `# To ensure deterministic runs
seed: 23

# Model parameters
model: "LiquidAI/LFM2-VL-450M"
structured_generation: false

# Dataset parameters
dataset: "microsoft/cats_vs_dogs"
n_samples: 100
split: train
image_column: "image"
label_column: "labels"
label_mapping:
  0: "cat"
  1: "dog"

# Prompt parameters
system_prompt: |
  You are a veterinarian specialized in analyzing pictures of cats and dogs
  You excel at identifying the type of animal from a picture.

user_prompt: |
  What animal in the following list is the one you see in the picture?

  - cat
  - dog

  Provide your answer as a single animal from the list without any additional text.
`;

describe('parseEvalConfig', () => {
  it("accepts the seeds' evaluate.py config", () => {
    const c = parseEvalConfig(SEED_V0);
    expect(c).toMatchObject({ seed: 23, model: 'LiquidAI/LFM2-VL-450M', mode: null, structuredGeneration: false });
    expect(c).toMatchObject({ dataset: 'microsoft/cats_vs_dogs', nSamples: 100, split: 'train', labels: ['cat', 'dog'] });
    expect(c.systemPrompt).toBe(
      'You are a veterinarian specialized in analyzing pictures of cats and dogs\nYou excel at identifying the type of animal from a picture.\n',
    );
    expect(c.userPrompt?.startsWith('What animal in the following list')).toBe(true);
    expect(c.userPrompt?.endsWith('without any additional text.\n')).toBe(true);
  });

  it('maps structured_generation and the studio keys', () => {
    expect(parseEvalConfig(SEED_V0.replace('structured_generation: false', 'structured_generation: true')).mode).toBe('constrained');
    const studio = parseEvalConfig(
      'model: m\ndataset: d\nmode: scored\ndataset_version: v2\ndevice: cuda\ndtype: q4\nsplit: validation\nname: my run\n',
    );
    expect(studio).toMatchObject({ mode: 'scored', datasetVersion: 'v2', device: 'cuda', dtype: 'q4', split: 'val', name: 'my run' });
    expect(studio).toMatchObject({ seed: 0, nSamples: null, labels: null, systemPrompt: null, classMapping: null });
    expect(parseEvalConfig('model: m\ndataset: d\nn_samples: null\nclass_mapping: imagenet-cats-vs-dogs\n')).toMatchObject({
      nSamples: null,
      classMapping: 'imagenet-cats-vs-dogs',
      split: 'all',
    });
    expect(parseEvalConfig('model: m\ndataset: d\nlabel_mapping:\n  1: dog\n  0: cat\n  2: bird\n').labels).toEqual(['cat', 'dog', 'bird']);
  });

  it('reports malformed YAML with line and column', () => {
    expect(() => parseEvalConfig('seed: 23\nmodel: [a,\ndataset: d\n')).toThrow(/not valid YAML at line \d+, column \d+/);
    expect(() => parseEvalConfig('seed: 23\nmodel: m\nseed: 24\n')).toThrow(/not valid YAML at line 3, column 1: Map keys must be unique/);
    expect(() => parseEvalConfig('')).toThrow(/empty/);
    expect(() => parseEvalConfig('- a\n- b\n')).toThrow(/must be a YAML mapping/);
  });

  it('lists unknown keys (e.g. fine-tune keys pasted into an eval config) with the allowed ones', () => {
    const text = `${SEED_V0}learning_rate: 5e-4\nlora_r: 8\n`;
    expect(() => parseEvalConfig(text)).toThrow(/unknown keys "learning_rate", "lora_r" \(allowed: name, seed, model, structured_generation/);
  });

  it('names the key and the problem for wrong values', () => {
    const bad: [string, RegExp][] = [
      ['model: m\ndataset: d\nn_samples: "100"\n', /n_samples: Invalid input: expected number/],
      ['model: m\ndataset: d\nn_samples: 0\n', /n_samples: .*>0|n_samples: Too small/],
      ['model: m\ndataset: d\nsplit: holdout\n', /split: Invalid option/],
      ['model: m\ndataset: d\nmode: beam\n', /mode: Invalid option/],
      ['model: m\ndataset: d\ndtype: int3\n', /dtype: Invalid option/],
      ['dataset: d\n', /model: Invalid input/],
      ['model: m\ndataset: d\nlabel_mapping:\n  0: cat\n  2: dog\n', /indices must run from 0 to 1 without gaps \(found 2\)/],
      ['model: m\ndataset: d\nlabel_mapping:\n  cat: 0\n', /label_mapping.cat: Invalid input: expected string/],
      ['model: m\ndataset: d\nlabel_mapping:\n  a: cat\n', /keys must be class indices 0, 1, 2, … \(got a\)/],
      ['model: m\ndataset: d\nlabel_mapping:\n  0: cat\n  1: cat\n', /lists "cat" twice/],
      ['model: m\ndataset: d\nstructured_generation: true\nmode: raw\n', /structured_generation: true contradicts mode: raw/],
    ];
    for (const [text, message] of bad) expect(() => parseEvalConfig(text), text).toThrow(message);
  });
});

describe('resolveEvalConfig and exportEvalConfig', () => {
  let tw: TempWorkspace;
  beforeEach(async () => {
    tw = makeTempWorkspace();
    await registerModel(tw.db, MOBILENET_DIR, { name: 'mnet' });
    const ds = insertSyntheticSamples(tw.db, { datasetName: 'pets', count: 40, classes: ['cat', 'dog'] });
    tw.db.prepare(`UPDATE samples SET split = CASE WHEN id % 2 = 0 THEN 'test' ELSE 'train' END`).run();
    createVersion(tw.db, ds.datasetId, 'v1');
    tw.db.prepare(`UPDATE samples SET split = 'test'`).run();
    createVersion(tw.db, ds.datasetId, 'v2');
    insertSyntheticSamples(tw.db, { datasetName: 'unsnapshotted', count: 4 });
  });
  afterEach(() => tw.cleanup());

  const resolveText = (text: string, baseDir = tw.root) => resolveEvalConfig(tw.db, parseEvalConfig(text), { baseDir });
  const CLASSIFIER = 'model: mnet\ndataset: pets\nclass_mapping: imagenet-cats-vs-dogs\n';

  it('uses the latest snapshot unless dataset_version names one, and derives the mode from the model kind', async () => {
    const latest = await resolveText(CLASSIFIER);
    const v1 = await resolveText(`${CLASSIFIER}dataset_version: v1\n`);
    const ids = tw.db.prepare('SELECT id, name FROM dataset_versions ORDER BY id').all() as { id: number; name: string }[];
    expect(latest.versionId).toBe(ids.find((v) => v.name === 'v2')?.id);
    expect(v1.versionId).toBe(ids.find((v) => v.name === 'v1')?.id);
    expect(latest.mode).toBe('classifier');
    expect(latest.name).toBe('mnet · pets/v2 · classifier');
  });

  it('refuses unknown datasets, datasets without a snapshot, unknown snapshots and models with clear messages', async () => {
    await expect(resolveText('model: mnet\ndataset: nope\n')).rejects.toThrow(/No dataset named "nope" .*datasets: pets, unsnapshotted/);
    await expect(resolveText('model: mnet\ndataset: unsnapshotted\n')).rejects.toThrow(/"unsnapshotted" has no snapshot yet; create one/);
    await expect(resolveText(`${CLASSIFIER}dataset_version: v9\n`)).rejects.toThrow(/no snapshot named "v9" \(snapshots: v1, v2\)/);
    await expect(resolveText('model: LiquidAI/LFM2-VL-450M\ndataset: pets\n')).rejects.toThrow(
      /"LiquidAI\/LFM2-VL-450M" is neither a registered model \(registered: mnet\) nor a model folder/,
    );
  });

  it('refuses a label_mapping that misses a snapshot class, naming it', async () => {
    const params = await resolveText(`${CLASSIFIER}label_mapping:\n  0: cat\n  1: bird\n`);
    await expect(createEvalRun(tw.db, params)).rejects.toThrow(/must include every class of the snapshot \(cat, dog\); missing: dog/);
  });

  it('registers a model folder given by (relative) path on the fly, and reuses it next time', async () => {
    const dir = join(tw.root, 'configs');
    mkdirSync(dir);
    symlinkSync(MOBILENET_DIR, join(tw.root, 'my-classifier'));
    const text = 'model: ../my-classifier\ndataset: pets\nclass_mapping: imagenet-cats-vs-dogs\n';
    const first = await resolveText(text, dir);
    expect(listModels(tw.db).map((m) => m.name)).toEqual(['mnet', 'my-classifier']);
    const second = await resolveText(text, dir);
    expect(second.modelId).toBe(first.modelId);
    expect(listModels(tw.db)).toHaveLength(2);
  });

  it('round-trips: parse(export(run)) resolves to the same run parameters and the same sample plan', async () => {
    const text = `name: rt\nseed: 5\n${CLASSIFIER}dataset_version: v1\nsplit: test\nn_samples: 7\nlabel_mapping:\n  0: dog\n  1: cat\n`;
    const run = await createEvalRun(tw.db, await resolveText(text));
    const exported = exportEvalConfig(tw.db, run.id);
    expect(exported).toMatch(/^# Eval run #\d+ \(queued\)/);
    expect(exported).toContain('label_mapping:\n  0: dog\n  1: cat\n');
    const again = await createEvalRun(tw.db, await resolveText(exported));
    const strip = (r: EvalRun) => {
      const { id: _i, status: _s, createdAt: _c, ...rest } = r;
      return rest;
    };
    expect(strip(again)).toEqual(strip(run));
    expect(evalSampleRows(tw.db, again.id).map((r) => r.sampleId)).toEqual(evalSampleRows(tw.db, run.id).map((r) => r.sampleId));
    expect(exportEvalConfig(tw.db, again.id).split('\n').slice(1)).toEqual(exported.split('\n').slice(1));
  });
});
