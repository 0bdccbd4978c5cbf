/** A cancelled run with some finished samples reports metrics over those samples, flagged partial (done of planned). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEvalParams, EvalRun } from '../../src/shared/eval-types';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { runEvalCancelledAfter } from '../fixtures/eval-cancel';

let pw: PetsWorkspace;
let core: StudioCore;
let call: ReturnType<typeof createDispatcher>;

const params = (name: string): CreateEvalParams => ({
  name,
  versionId: pw.version.id,
  split: 'all',
  modelId: pw.model.id,
  mode: 'classifier',
  seed: 23,
  nSamples: null,
  classMapping: 'imagenet-cats-vs-dogs',
});

beforeAll(async () => {
  pw = await makePetsWorkspace(10);
  core = createStudioCore(pw.ws);
  call = createDispatcher(core.handlers);
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pw.cleanup();
});

describe('partial metrics', () => {
  it('cancelled after 7 of 20: evals:get and evals:list carry metrics over the 7, flagged partial', async () => {
    const run = await createEvalRun(pw.db, params('cancelled at 7'));
    const cancelled = await runEvalCancelledAfter(pw.ws, run.id, 7);
    expect(cancelled.status).toBe('cancelled');

    const got = (await call('evals:get', { runId: run.id })) as EvalRun;
    expect(got.metrics?.partial).toEqual({ done: 7, planned: 20 });
    expect(got.metrics?.n).toBe(7);
    const done = evalSampleRows(pw.db, run.id).filter((r) => r.done);
    const correct = done.filter((r) => r.error === null && r.prediction === r.truth).length;
    expect(got.metrics?.correct).toBe(correct);
    expect(got.metrics?.accuracy).toBeCloseTo(correct / 7, 12);
    expect(got.metrics?.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(7);

    const listed = (await call('evals:list', { datasetId: pw.datasetId })) as EvalRun[];
    expect(listed.find((r) => r.id === run.id)?.metrics?.partial).toEqual({ done: 7, planned: 20 });
  });

  it('a finished run is not partial, and a run with no finished sample has no metrics', async () => {
    const finished = await runEval(pw.ws, (await createEvalRun(pw.db, { ...params('finished'), nSamples: 4 })).id);
    const got = (await call('evals:get', { runId: finished.id })) as EvalRun;
    expect(got.status).toBe('done');
    expect(got.metrics?.partial).toBeUndefined();
    expect(got.metrics?.n).toBe(4);

    const untouched = await createEvalRun(pw.db, params('never started'));
    expect(((await call('evals:get', { runId: untouched.id })) as EvalRun).metrics).toBeNull();
  });
});
