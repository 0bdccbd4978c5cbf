/** The class-mapping and class merge/delete channels through the real dispatcher: zod-validated payloads, dataset events, clear errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import type { SavedClassMapping } from '../../src/shared/class-mapping-types';
import type { ClassInfo, EditResult } from '../../src/shared/domain';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { MOBILENET_DIR } from './eval-fixture';
import { insertSyntheticSamples, makeTempWorkspace, type SyntheticDataset, type TempWorkspace } from './helpers/temp-workspace';

let t: TempWorkspace;
let core: StudioCore;
let call: Dispatch;
let d: SyntheticDataset;
beforeEach(() => {
  t = makeTempWorkspace('vcs-mapping-handlers-');
  core = createStudioCore(t.ws);
  call = createDispatcher(core.handlers);
  d = insertSyntheticSamples(t.db, { count: 12, classes: ['cat', 'dog', 'other'] });
});
afterEach(async () => {
  await core.jobs.close();
  t.cleanup();
});

describe('class mapping channels', () => {
  it('reads the labels, saves a mapping, lists it and the presets, and refuses bad payloads', async () => {
    const model = (await call('models:register', { path: MOBILENET_DIR, name: 'mobilenet' })) as RegisteredModel;
    const labels = (await call('classMappings:modelLabels', { modelId: model.id })) as string[];
    expect([labels.length, labels[151], labels[281]]).toEqual([1000, 'Chihuahua', 'tabby']);
    const mapping = { name: 'pets', classes: [{ label: 'dog', modelClasses: [{ from: 151, to: 268 }] }, { label: 'cat', modelClasses: [281, 282, 283, 284, 285] }], rest: 'other' };
    const saved = (await call('classMappings:save', { modelId: model.id, mapping })) as SavedClassMapping;
    expect(saved.mapping.classes[1].modelClasses).toEqual([281, 282, 283, 284, 285]);
    expect(((await call('classMappings:list', {})) as SavedClassMapping[]).map((m) => m.name)).toEqual(['pets']);
    expect(((await call('classMappings:presets', {})) as { name: string }[]).map((m) => m.name)).toEqual(['imagenet-cats-vs-dogs']);

    await expect(call('classMappings:save', { modelId: model.id, mapping: { ...mapping, name: 'x', rest: 'o\u202Eb' } })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('classMappings:save', { modelId: model.id, mapping: { ...mapping, name: 'x', classes: [{ label: 'dog', modelClasses: [-1] }] } })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('classMappings:save', { modelId: model.id, mapping: { ...mapping, name: '' } })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('classMappings:ood', { runId: 4242 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('classMappings:delete', { id: saved.id })).resolves.toEqual({ deleted: true });
  });

  it('merges and deletes classes with a dataset:changed event, validating the ids', async () => {
    const events: string[] = [];
    core.bus.on('dataset:changed', (e) => events.push(`${e.datasetId}:${e.reason}`));
    const id = (n: string) => d.classIds.get(n) as number;
    const merged = (await call('classes:merge', { datasetId: d.datasetId, sourceClassId: id('other'), targetClassId: id('dog') })) as EditResult;
    expect(merged.change?.action).toBe('merge-class');
    expect(events).toEqual([`${d.datasetId}:classes`]);
    await call('history:undo', { datasetId: d.datasetId });
    const removed = (await call('classes:delete', { datasetId: d.datasetId, classId: id('other'), targetClassId: null })) as EditResult;
    expect(removed.change?.summary).toBe('Delete class "other" (4 samples → unlabelled)');
    expect(((await call('classes:list', { datasetId: d.datasetId })) as ClassInfo[]).map((c) => c.name)).toEqual(['cat', 'dog']);
    await expect(call('classes:delete', { datasetId: d.datasetId, classId: id('cat') })).rejects.toMatchObject({ code: 'invalid-args' });
    await expect(call('classes:merge', { datasetId: d.datasetId, sourceClassId: id('cat'), targetClassId: 0 })).rejects.toMatchObject({ code: 'invalid-args' });
  });
});
