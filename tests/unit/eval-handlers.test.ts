/** Eval features through the real handler table + dispatcher + worker-thread jobs: runs, samples, compare, export, models. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalComparison, EvalSamplePage, PromptHistoryEntry } from '../../src/shared/eval-views';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { startFakeHub } from '../support/fake-hub-server';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
const out = mkdtempSync(join(tmpdir(), 'vcs-eval-handlers-'));

async function runToEnd(args: Record<string, unknown>): Promise<EvalRun> {
  const { run, jobId } = (await call('evals:create', args)) as { run: EvalRun; jobId: string };
  const job = await core.jobs.wait(jobId);
  expect(job.status, job.error ?? '').toBe('done');
  return (await call('evals:get', { runId: run.id })) as EvalRun;
}

beforeAll(async () => {
  pets = await makePetsWorkspace(10);
  core = createStudioCore(pets.ws);
  call = createDispatcher(core.handlers);
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pets.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('eval handlers', () => {
  let full: EvalRun;
  let small: EvalRun;

  it('runs a classifier eval as a worker job and stores real metrics', async () => {
    full = await runToEnd({
      name: 'mobilenet test', versionId: pets.version.id, split: 'test', modelId: pets.model.id,
      mode: 'classifier', seed: 23, nSamples: null, classMapping: 'imagenet-cats-vs-dogs',
    });
    expect(full.status).toBe('done');
    expect(full.doneCount).toBe(full.plannedCount);
    expect(full.metrics?.n).toBe(10);
    expect(full.metrics?.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('pages samples by outcome, consistent with the metrics', async () => {
    const correct = (await call('evals:samples', { runId: full.id, filter: { outcome: 'correct' }, offset: 0, limit: 100 })) as EvalSamplePage;
    expect(correct.total).toBe(Math.round((full.metrics?.accuracy ?? 0) * 10));
    expect(correct.rows.every((r) => r.prediction === r.truth && r.datasetSampleExists)).toBe(true);
    expect(correct.outcomeCounts.correct + correct.outcomeCounts.wrong + correct.outcomeCounts['off-label']).toBe(10);
    const leastSure = (await call('evals:samples', { runId: full.id, filter: { sort: 'confidence-asc' }, offset: 0, limit: 10 })) as EvalSamplePage;
    const conf = leastSure.rows.map((r) => r.confidence ?? NaN);
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
  });

  it('compares two runs over the samples both finished', async () => {
    small = await runToEnd({
      name: 'mobilenet 4', versionId: pets.version.id, split: 'test', modelId: pets.model.id,
      mode: 'classifier', seed: 23, nSamples: 4, classMapping: 'imagenet-cats-vs-dogs',
    });
    const cmp = (await call('evals:compare', { aId: full.id, bId: small.id })) as EvalComparison;
    expect(cmp.shared).toBe(4);
    expect(cmp.bothCorrect + cmp.onlyA + cmp.onlyB + cmp.bothWrong).toBe(4);
    expect(cmp.onlyA + cmp.onlyB).toBe(0); // same model, same inputs → same answers
    expect(cmp.mcnemarP).toBe(1);
    await expect(call('evals:compare', { aId: full.id, bId: full.id })).rejects.toThrow(/two different runs/);
  });

  it('refuses to resume a finished run and exports CSV and YAML without overwriting', async () => {
    await expect(call('evals:resume', { runId: full.id })).rejects.toThrow(/already finished/);
    const csv = (await call('evals:export', { runId: full.id, format: 'csv', destination: join(out, 'run.csv') })) as { path: string };
    expect(readFileSync(csv.path, 'utf8').trim().split('\n')).toHaveLength(11);
    const yaml = (await call('evals:export', { runId: full.id, format: 'yaml', destination: join(out, 'run.yaml') })) as { path: string };
    expect(readFileSync(yaml.path, 'utf8')).toMatch(/seed: 23/);
    await expect(call('evals:export', { runId: full.id, format: 'yaml', destination: join(out, 'run.yaml') })).rejects.toThrow(/already exists/);
  });

  it('runs a scored VLM eval and lists its prompt in the history', async () => {
    const vlm = (await call('models:register', { path: ensureTinyVlm('lfm2-vl'), name: 'tiny lfm2-vl' })) as RegisteredModel;
    const run = await runToEnd({
      name: 'tiny scored', versionId: pets.version.id, split: 'test', modelId: vlm.id, mode: 'scored', seed: 1, nSamples: 3,
      systemPrompt: 'You are a veterinarian.', userPrompt: 'Which animal?\n{{labels}}',
    });
    const page = (await call('evals:samples', { runId: run.id, filter: {}, offset: 0, limit: 10 })) as EvalSamplePage;
    expect(page.total).toBe(3);
    for (const row of page.rows) expect((row.probabilities ?? []).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const history = (await call('evals:prompts', { datasetId: pets.datasetId })) as PromptHistoryEntry[];
    expect(history[0]).toMatchObject({ systemPrompt: 'You are a veterinarian.', userPrompt: 'Which animal?\n{{labels}}', runs: 1 });
  });

  it('fails clearly when the GPU provider cannot start, then resumes on CPU', async () => {
    const vlm = ((await call('models:list', {})) as RegisteredModel[]).find((m) => m.name === 'tiny lfm2-vl') as RegisteredModel;
    const { run, jobId } = (await call('evals:create', {
      name: 'tiny on cuda', versionId: pets.version.id, split: 'test', modelId: vlm.id, mode: 'constrained', seed: 1, nSamples: 2, device: 'cuda',
    })) as { run: EvalRun; jobId: string };
    const failed = await core.jobs.wait(jobId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/cuda/i);
    expect(failed.error).toMatch(/cpu/i);
    expect(((await call('evals:get', { runId: run.id })) as EvalRun).status).toBe('failed');
    const { jobId: retry } = (await call('evals:resume', { runId: run.id, device: 'cpu' })) as { jobId: string };
    expect((await core.jobs.wait(retry)).status).toBe('done');
    const done = (await call('evals:get', { runId: run.id })) as EvalRun;
    expect(done).toMatchObject({ status: 'done', device: 'cpu', doneCount: 2 });
    expect(done.metrics?.offLabelRate).toBe(0);
  });

  it('downloads a model from a Hub-shaped server as a job and registers it', async () => {
    const hub = await startFakeHub({ repoId: 'tiny/lfm2-vl', dir: ensureTinyVlm('lfm2-vl') });
    try {
      const { jobId } = (await call('models:download', { repoId: 'tiny/lfm2-vl', dtype: 'q8', endpoint: hub.endpoint })) as { jobId: string };
      const job = await core.jobs.wait(jobId);
      expect(job.status, job.error ?? '').toBe('done');
      const models = (await call('models:list', {})) as RegisteredModel[];
      const downloaded = models.find((m) => m.name === 'tiny/lfm2-vl');
      expect(downloaded?.provenance).toMatchObject({ source: 'hub', repoId: 'tiny/lfm2-vl' });
      expect(downloaded?.path.startsWith(join(pets.ws.root, 'models'))).toBe(true);
      // The job is linked to the model it produced, and its result is the typed RegisteredModel in full.
      expect(job.owner).toEqual({ kind: 'model', id: downloaded?.id });
      expect(job.kind === 'model-download' ? job.result : null).toEqual(downloaded);
    } finally {
      await hub.close();
    }
  });

  it('rejects invalid payloads before any handler runs', async () => {
    await expect(call('evals:create', { name: 'x', versionId: -1 })).rejects.toThrow(/versionId/);
    await expect(call('models:download', { repoId: 'not a repo', dtype: 'q8' })).rejects.toThrow(/owner\/name/);
  });
});

describe('McNemar exact test', () => {
  it('matches the binomial tail by hand', async () => {
    const { mcnemarExactP } = await import('../../src/main/evals/eval-compare');
    expect(mcnemarExactP(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(mcnemarExactP(1, 9)).toBeCloseTo((2 * (1 + 10)) / 1024, 12);
    expect(mcnemarExactP(5, 5)).toBe(1);
    expect(mcnemarExactP(0, 0)).toBe(1);
  });
});
