/** Quick try through the real dispatcher and a worker-thread job on a tiny LFM2-VL: answers inline, agrees with a full eval, cancels, reports errors. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import type { EvalRun, EvalSampleRow, RegisteredModel } from '../../src/shared/eval-types';
import type { PromptVersion, SavePromptVersionResult } from '../../src/shared/prompt-types';
import type { PromptTryResult } from '../../src/shared/prompt-try';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { imagePath } from '../../src/main/workspace/workspace';
import { stmt } from '../../src/main/db/statement-cache';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let vlm: RegisteredModel;
let version: PromptVersion;
let call: (channel: string, args: unknown) => Promise<unknown>;

beforeAll(async () => {
  pets = await makePetsWorkspace(4);
  core = createStudioCore(pets.ws);
  call = createDispatcher(core.handlers);
  vlm = (await call('models:register', { path: ensureTinyVlm('lfm2-vl', 1), name: 'tiny' })) as RegisteredModel;
  version = ((await call('prompts:save', { name: 'pets', systemPrompt: 'You sort pet photos.', userPrompt: 'Cat or dog?\n{{labels}}' })) as SavePromptVersionResult).version;
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pets.cleanup();
});

const tryArgs = (over: Record<string, unknown>) => ({
  versionId: pets.version.id,
  modelId: vlm.id,
  mode: 'scored',
  systemPrompt: version.systemPrompt,
  userPrompt: version.userPrompt,
  source: { kind: 'sample', split: 'all', seed: 5, count: 3 },
  ...over,
});

async function tryToEnd(over: Record<string, unknown>): Promise<PromptTryResult> {
  const { jobId } = (await call('prompts:try', tryArgs(over))) as { jobId: string };
  const job = await core.jobs.wait(jobId);
  expect(job.status, job.error ?? '').toBe('done');
  if (job.kind !== 'prompt-try' || !job.result) throw new Error('no quick-try result');
  return job.result;
}

describe('quick try', () => {
  it('answers the seeded samples an eval would draw, the same as the full eval of that prompt, without creating a run', async () => {
    const runsBefore = ((await call('evals:list', {})) as EvalRun[]).length;
    const tried = await tryToEnd({});
    expect(((await call('evals:list', {})) as EvalRun[]).length).toBe(runsBefore);
    expect(tried.cancelled).toBe(false);
    expect(tried.outputs).toHaveLength(3);
    for (const o of tried.outputs) {
      expect(o.error).toBeNull();
      expect(['cat', 'dog']).toContain(o.prediction);
      expect(o.confidence).toBeGreaterThanOrEqual(0.5);
      expect(o.latencyMs).toBeGreaterThan(0);
    }
    const { run, jobId } = (await call('evals:create', {
      name: 'full', versionId: pets.version.id, split: 'all', modelId: vlm.id, mode: 'scored', seed: 5, nSamples: 3, promptVersionId: version.id,
    })) as { run: EvalRun; jobId: string };
    expect((await core.jobs.wait(jobId)).status).toBe('done');
    const rows: EvalSampleRow[] = evalSampleRows(pets.db, run.id);
    expect(tried.outputs.map((o) => [o.sampleId, o.truth, o.prediction])).toEqual(rows.map((r) => [r.sampleId, r.truth, r.prediction]));
    for (const [i, r] of rows.entries()) expect(tried.outputs[i].confidence).toBeCloseTo(Math.max(...(r.probabilities ?? [])), 4);
  }, 120_000);

  it('raw mode returns the generated text; a missing image file is that sample\'s error, not the try\'s', async () => {
    const ids = stmt(pets.db, 'SELECT sample_id FROM version_samples WHERE version_id = ? ORDER BY sample_id LIMIT 2').pluck(true).all(pets.version.id) as number[];
    const gone = stmt(pets.db, 'SELECT s.image_hash AS h, i.ext AS e FROM samples s JOIN images i ON i.hash = s.image_hash WHERE s.id = ?').get(ids[1]) as { h: string; e: string };
    rmSync(imagePath(pets.ws, gone.h, gone.e));
    const tried = await tryToEnd({ mode: 'raw', source: { kind: 'ids', sampleIds: ids } });
    expect(tried.outputs[0]).toMatchObject({ sampleId: ids[0], error: null });
    expect(typeof tried.outputs[0].rawOutput).toBe('string');
    expect(tried.outputs[1]).toMatchObject({ sampleId: ids[1], prediction: null });
    expect(tried.outputs[1].error).toMatch(/ENOENT|no such file|not found/i);
  }, 120_000);

  it('is cancellable, and bad requests are refused at the call with a clear message', async () => {
    const { jobId } = (await call('prompts:try', tryArgs({ source: { kind: 'sample', split: 'all', seed: 1, count: 8 } }))) as { jobId: string };
    await call('jobs:cancel', { jobId });
    const job = await core.jobs.wait(jobId);
    expect(job.status).toBe('cancelled');
    await expect(call('prompts:try', tryArgs({ userPrompt: ' ' }))).rejects.toThrow(/user prompt is empty/);
    await expect(call('prompts:try', tryArgs({ source: { kind: 'sample', split: 'all', seed: 1, count: 17 } }))).rejects.toThrow(/source\.count/);
    await expect(call('prompts:try', tryArgs({ modelId: pets.model.id }))).rejects.toThrow(/vision-language model/);
  });
});
