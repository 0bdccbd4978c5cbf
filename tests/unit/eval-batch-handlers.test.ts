/** Matrix batches through the real handler table, dispatcher, job manager and shared inference host: run, cancel, resume. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalBatch } from '../../src/shared/eval-matrix';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
let lfm: RegisteredModel;
let smol: RegisteredModel;

const batchArgs = (name: string, nSamples: number) => ({
  name,
  versionId: pets.version.id,
  split: 'all',
  seed: 2,
  nSamples,
  prompts: [
    { kind: 'inline', name: 'a', systemPrompt: '', userPrompt: 'Cat or dog? {{labels}}' },
    { kind: 'inline', name: 'b', systemPrompt: 'Label the photo.', userPrompt: '{{labels}}\nAnswer:' },
  ],
  modelIds: [lfm.id, smol.id],
  modes: ['constrained'],
});

beforeAll(async () => {
  pets = await makePetsWorkspace(4);
  core = createStudioCore(pets.ws);
  call = createDispatcher(core.handlers);
  lfm = (await call('models:register', { path: ensureTinyVlm('lfm2-vl', 1), name: 'tiny-lfm2' })) as RegisteredModel;
  smol = (await call('models:register', { path: ensureTinyVlm('smolvlm', 1), name: 'tiny-smol' })) as RegisteredModel;
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pets.cleanup();
});

describe('batch handlers', () => {
  it('batches:create queues one eval job per cell; all finish and the batch reads done with metrics in every cell', async () => {
    const { batch, jobIds } = (await call('batches:create', batchArgs('handlers 2x2', 2))) as { batch: EvalBatch; jobIds: string[] };
    expect(jobIds).toHaveLength(4);
    expect(batch.status).toBe('running');
    const jobs = await Promise.all(jobIds.map((id) => core.jobs.wait(id)));
    expect(jobs.map((j) => [j.kind, j.status])).toEqual(Array(4).fill(['eval', 'done']));
    const done = (await call('batches:get', { batchId: batch.id })) as EvalBatch;
    expect(done).toMatchObject({ status: 'done', plannedCount: 8, doneCount: 8 });
    for (const cell of done.cells) {
      const run = (await call('evals:get', { runId: cell.runId })) as EvalRun;
      expect(run.batchId).toBe(batch.id);
      expect(cell.metrics).toEqual({
        n: 2,
        accuracy: run.metrics?.accuracy,
        balancedAccuracy: run.metrics?.balancedAccuracy,
        offLabelRate: run.metrics?.offLabelRate,
        p50Ms: run.metrics?.latency?.p50Ms,
      });
    }
    expect(((await call('batches:list', { datasetId: pets.datasetId })) as EvalBatch[]).map((b) => b.id)).toEqual([batch.id]);
    await expect(call('batches:resume', { batchId: batch.id })).rejects.toThrow(/already finished/);
  });

  it('batches:cancel stops every live cell; batches:resume finishes them, keeping finished samples', async () => {
    const { batch, jobIds } = (await call('batches:create', batchArgs('cancel me', 8))) as { batch: EvalBatch; jobIds: string[] };
    const { cancelled } = (await call('batches:cancel', { batchId: batch.id })) as { cancelled: number };
    expect(cancelled).toBe(4);
    const stopped = await Promise.all(jobIds.map((id) => core.jobs.wait(id)));
    expect(stopped.every((j) => j.status === 'cancelled')).toBe(true);
    const after = (await call('batches:get', { batchId: batch.id })) as EvalBatch;
    expect(after.status).toBe('cancelled');
    expect(after.doneCount).toBeLessThan(after.plannedCount);
    const doneRows = () =>
      pets.db.prepare('SELECT run_id AS runId, sample_id AS sampleId, prediction, raw_output AS raw FROM eval_samples WHERE done = 1 AND run_id IN (SELECT run_id FROM eval_batch_cells WHERE batch_id = ?)').all(batch.id) as { runId: number; sampleId: number }[];
    const kept = doneRows();
    expect(kept).toHaveLength(after.doneCount);

    const { jobIds: resumed } = (await call('batches:resume', { batchId: batch.id })) as { jobIds: string[] };
    expect(resumed).toHaveLength(after.cells.filter((c) => c.status !== 'done').length);
    const finished = await Promise.all(resumed.map((id) => core.jobs.wait(id)));
    expect(finished.every((j) => j.status === 'done')).toBe(true);
    const final = (await call('batches:get', { batchId: batch.id })) as EvalBatch;
    expect(final).toMatchObject({ status: 'done', plannedCount: 32, doneCount: 32 });
    const now = doneRows();
    for (const row of kept) expect(now).toContainEqual(row);
  });

  it('survives an app restart: closing mid-batch leaves the cells interrupted; a new studio on the workspace resumes them', async () => {
    const { batch, jobIds } = (await call('batches:create', batchArgs('restart me', 8))) as { batch: EvalBatch; jobIds: string[] };
    await core.jobs.close();
    expect(jobIds.map((id) => core.jobs.get(id).status)).toEqual(Array(4).fill('interrupted'));
    core = createStudioCore(pets.ws);
    call = createDispatcher(core.handlers);
    const after = (await call('batches:get', { batchId: batch.id })) as EvalBatch;
    expect(after.status).toBe('interrupted');
    expect(after.cells.every((c) => c.status === 'interrupted' || c.status === 'done')).toBe(true);
    const { jobIds: resumed } = (await call('batches:resume', { batchId: batch.id })) as { jobIds: string[] };
    expect(resumed.length).toBe(after.cells.filter((c) => c.status !== 'done').length);
    expect((await Promise.all(resumed.map((id) => core.jobs.wait(id)))).map((j) => j.status)).toEqual(resumed.map(() => 'done'));
    expect((await call('batches:get', { batchId: batch.id })) as EvalBatch).toMatchObject({ status: 'done', doneCount: 32 });
  });

  it('rejects a bad request at the contract (unknown mode, no models)', async () => {
    await expect(call('batches:create', { ...batchArgs('bad', 2), modes: ['classifier'] })).rejects.toThrow(/modes/);
    await expect(call('batches:create', { ...batchArgs('bad', 2), modelIds: [] })).rejects.toThrow(/modelIds/);
    await expect(call('batches:create', { ...batchArgs('bad', 2), prompts: [{ kind: 'version', promptVersionId: 0 }] })).rejects.toThrow(/promptVersionId/);
    await expect(call('batches:create', { ...batchArgs('bad', 2), prompts: [{ kind: 'version', name: 'x' }] })).rejects.toThrow(/promptVersionId/);
  });
});
