/** Saved class mappings: rest/abstain resolution, validation, the store on a real SQLite workspace, and run-mapping resolution. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../src/main/errors';
import { applyClassMapping, resolveClassMapping } from '../../src/main/inference/classifier/class-mapping';
import {
  deleteClassMapping,
  findClassMapping,
  listClassMappings,
  saveClassMapping,
  validateClassMapping,
} from '../../src/main/class-mappings/class-mapping-store';
import { resolveRunMapping } from '../../src/main/evals/eval-labels';
import { registerModel } from '../../src/main/models/model-registry';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { MOBILENET_DIR, PETS_OTHER } from './eval-fixture';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

const IMAGENET = readFileSync(join(MOBILENET_DIR, 'labels.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof StudioError ? err.code : `non-studio: ${String(err)}`;
  }
  return 'no error';
}

describe('resolving a mapping with a rest target', () => {
  it('sweeps every unlisted model class into the rest target and records them as outside', () => {
    const r = resolveClassMapping(PETS_OTHER, 1000);
    expect(r.labels).toEqual(['cat', 'dog', 'other']);
    expect(r.groups[2]).toHaveLength(1000 - 118 - 5);
    expect(r.outside).toEqual(r.groups[2]);
    expect(r.groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // The rest target may also own explicit classes: they are mapped, the swept ones stay "outside".
    const both = resolveClassMapping({ name: 'b', classes: [{ label: 'a', modelClasses: [0] }, { label: 'o', modelClasses: [1] }], rest: 'o' }, 4);
    expect(both.groups).toEqual([[0], [1, 2, 3]]);
    expect(both.outside).toEqual([2, 3]);
  });

  it('keeps the renormalised probabilities and reports the OOD mass beside them', () => {
    const without = resolveClassMapping({ name: 't', classes: [{ label: 'a', modelClasses: [0] }, { label: 'b', modelClasses: [1] }] }, 4);
    const m = applyClassMapping(without, [0.18, 0.02, 0.7, 0.1]);
    expect(m.prediction).toBe('a');
    expect(m.probabilities?.[0]).toBeCloseTo(0.9, 12); // "cat 90%" …
    expect(m.oodMass).toBeCloseTo(0.8, 12); // … while 80% of the model's mass was on neither
    const withRest = resolveClassMapping({ name: 't', classes: [{ label: 'a', modelClasses: [0] }, { label: 'b', modelClasses: [1] }], rest: 'other' }, 4);
    const r = applyClassMapping(withRest, [0.18, 0.02, 0.7, 0.1]);
    expect(r.prediction).toBe('other');
    expect(r.probabilities?.[2]).toBeCloseTo(0.8, 12);
    expect(r.oodMass).toBeCloseTo(0.8, 12);
    expect(r.unmappedMass).toBeCloseTo(0, 12);
  });

  it('refuses a rest target with nothing left, an abstain target that is not a target, and fewer than two targets', () => {
    expect(() => resolveClassMapping({ name: 'x', classes: [{ label: 'a', modelClasses: [{ from: 0, to: 3 }] }], rest: 'o' }, 4)).toThrow(/gets none/);
    expect(() => resolveClassMapping({ ...PETS_OTHER, abstain: 'unknown' }, 1000)).toThrow(/abstain target "unknown" is not one of its targets/);
    expect(resolveClassMapping({ ...PETS_OTHER, rest: 'unknown', abstain: 'unknown' }, 1000).labels).toEqual(['cat', 'dog', 'unknown']);
    expect(() => validateClassMapping({ name: 'x', classes: [{ label: 'a', modelClasses: [0] }] }, 4)).toThrow(/at least 2 target classes/);
    expect(() => validateClassMapping({ name: ' ', classes: [] }, 4)).toThrow(/needs a name/);
    expect(() => validateClassMapping({ name: 'x', classes: [{ label: 'a\u202Eb', modelClasses: [0] }], rest: 'o' }, 4)).toThrow(/bidirectional/);
  });
});

describe('the class mapping store (real SQLite workspace, real MobileNetV2 labels.txt)', () => {
  let t: TempWorkspace;
  let model: RegisteredModel;
  beforeEach(async () => {
    t = makeTempWorkspace('vcs-mappings-');
    model = await registerModel(t.db, MOBILENET_DIR, { name: 'mobilenet' });
  });
  afterEach(() => t.cleanup());

  it('saves, lists, updates and deletes a mapping built from the model labels', async () => {
    expect(IMAGENET).toHaveLength(1000);
    expect(IMAGENET[151]).toBe('Chihuahua');
    const saved = await saveClassMapping(t.db, { modelId: model.id, mapping: { ...PETS_OTHER, name: ' pets-with-other ' } });
    expect(saved).toMatchObject({ name: 'pets-with-other', modelId: model.id, modelClassCount: 1000 });
    expect(saved.mapping.rest).toBe('other');
    expect(listClassMappings(t.db).map((m) => m.name)).toEqual(['pets-with-other']);
    expect(findClassMapping(t.db, 'PETS-WITH-OTHER')?.id).toBe(saved.id);

    const updated = await saveClassMapping(t.db, { id: saved.id, modelId: model.id, mapping: { ...PETS_OTHER, rest: 'unknown', abstain: 'unknown' } });
    expect(updated.id).toBe(saved.id);
    expect(updated.mapping).toMatchObject({ rest: 'unknown', abstain: 'unknown' });
    expect(listClassMappings(t.db)).toHaveLength(1);

    deleteClassMapping(t.db, saved.id);
    expect(listClassMappings(t.db)).toEqual([]);
    expect(await codeOf(() => deleteClassMapping(t.db, saved.id))).toBe('not-found');
  });

  it('refuses duplicate names, preset names, out-of-range indices and overlaps — nothing is written', async () => {
    await saveClassMapping(t.db, { modelId: model.id, mapping: PETS_OTHER });
    expect(await codeOf(() => saveClassMapping(t.db, { modelId: model.id, mapping: PETS_OTHER }))).toBe('conflict');
    expect(await codeOf(() => saveClassMapping(t.db, { modelId: model.id, mapping: { ...PETS_OTHER, name: 'ImageNet-Cats-vs-Dogs' } }))).toBe('conflict');
    const outOfRange = { ...PETS_OTHER, name: 'bad', classes: [{ label: 'cat', modelClasses: [{ from: 990, to: 1000 }] }] };
    expect(await codeOf(() => saveClassMapping(t.db, { modelId: model.id, mapping: outOfRange }))).toBe('invalid-args');
    const overlap = { ...PETS_OTHER, name: 'bad', classes: [...PETS_OTHER.classes, { label: 'puppy', modelClasses: [200] }] };
    await expect(saveClassMapping(t.db, { modelId: model.id, mapping: overlap })).rejects.toThrow(/model class 200 is mapped to both "dog" and "puppy"/);
    expect(await codeOf(() => saveClassMapping(t.db, { modelId: 999, mapping: { ...PETS_OTHER, name: 'n' } }))).toBe('not-found');
    expect(listClassMappings(t.db).map((m) => m.name)).toEqual(['pets-with-other']);
  });

  it('resolves a run mapping by saved name, checks its targets against the run labels and the model size', async () => {
    const saved = await saveClassMapping(t.db, { modelId: model.id, mapping: PETS_OTHER });
    const lookup = (name: string) => findClassMapping(t.db, name);
    expect(await resolveRunMapping(model.path, ['dog', 'other', 'cat'], 'pets-with-other', lookup)).toEqual(saved.mapping);
    await expect(resolveRunMapping(model.path, ['cat', 'dog'], 'pets-with-other', lookup)).rejects.toThrow(
      /maps to cat, dog, other, not the snapshot's classes: not classes of the snapshot: other/,
    );
    await expect(resolveRunMapping(model.path, ['cat', 'dog'], 'nope', lookup)).rejects.toThrow(/Unknown class mapping "nope"/);
    // The preset is still there as a starting point and still resolves on its own.
    expect((await resolveRunMapping(model.path, ['cat', 'dog'], 'imagenet-cats-vs-dogs', lookup))?.name).toBe('imagenet-cats-vs-dogs');
    // A mapping saved for a model of another size is refused with both sizes named.
    t.db.prepare('UPDATE class_mappings SET model_class_count = 21843 WHERE id = ?').run(saved.id);
    await expect(resolveRunMapping(model.path, ['cat', 'dog', 'other'], 'pets-with-other', lookup)).rejects.toThrow(/built for a model with 21843 classes; this model has 1000/);
  });
});
