/** Robustness channels through the studio core: derivation as a real worker-thread job (one at a time per snapshot), evaluation as eval jobs. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobInfo } from '../../src/shared/jobs';
import type { RobustnessReport } from '../../src/shared/robustness-types';
import type { EvalRun } from '../../src/shared/eval-types';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let core: StudioCore;
beforeAll(async () => {
  pw = await makePetsWorkspace(3);
  core = createStudioCore(pw.ws);
}, 120_000);
afterAll(async () => {
  await core?.jobs.close();
  pw?.cleanup();
});

it('derives in a job (a second start while it runs is refused), then evaluates a run on every split as eval jobs', async () => {
  const call = createDispatcher(core.handlers);
  const { jobId } = (await call('robustness:derive', { versionId: pw.version.id })) as { jobId: string };
  await expect(call('robustness:derive', { versionId: pw.version.id })).rejects.toThrow(/already being derived/);
  const job = (await core.jobs.wait(jobId)) as Extract<JobInfo, { kind: 'robustness-derive' }>;
  expect(job.status).toBe('done');
  expect(job.result).toMatchObject({ sourceVersionId: pw.version.id, cancelled: false });
  expect(job.result?.derivedVersionIds).toHaveLength(12);
  await expect(call('robustness:derive', { versionId: job.result?.derivedVersionIds[0] })).rejects.toThrow(/is itself a robustness split/);
  await expect(call('robustness:derive', { versionId: -1 })).rejects.toThrow();

  const { run, jobId: evalJob } = (await call('evals:create', {
    name: 'clean',
    versionId: pw.version.id,
    split: 'test',
    modelId: pw.model.id,
    mode: 'classifier',
    seed: 1,
    nSamples: null,
    classMapping: 'imagenet-cats-vs-dogs',
  })) as { run: EvalRun; jobId: string };
  await core.jobs.wait(evalJob);
  const { runIds, jobIds } = (await call('robustness:evaluate', { templateRunId: run.id })) as { runIds: number[]; jobIds: string[] };
  expect(runIds).toHaveLength(12);
  expect(jobIds).toHaveLength(12);
  for (const id of jobIds) expect((await core.jobs.wait(id)).status).toBe('done');
  // Everything finished: a second action starts nothing.
  expect(((await call('robustness:evaluate', { templateRunId: run.id })) as { jobIds: string[] }).jobIds).toEqual([]);
  const report = (await call('robustness:report', { versionId: pw.version.id })) as RobustnessReport;
  expect(Object.values(report.rows[0].cells).every((c) => c.status === 'done' && c.accuracy !== null)).toBe(true);
}, 300_000);
