/**
 * An eval running as a worker-thread job dies with its studio process (app closed, or kill -9 of a real host
 * process): the job and the run are marked interrupted — not failed, not running forever — and evals:resume
 * finishes the run without redoing its finished samples.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../src/shared/eval-types';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { INTERRUPTED_RUN_ERROR } from '../../src/main/evals/eval-claim';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { InferenceHost } from '../../src/main/jobs/inference-host';
import { JobManager } from '../../src/main/jobs/job-manager';
import { INTERRUPTED_ERROR } from '../../src/main/jobs/job-store';
import { imagePath, openWorkspace } from '../../src/main/workspace/workspace';
import { makeFifo, releaseFifo } from '../fixtures/fifo';
import { REPO_ROOT } from '../support/assets';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { sleep } from '../fixtures/wait-until';

let pw: PetsWorkspace;
beforeAll(async () => {
  pw = await makePetsWorkspace(5);
}, 120_000);
afterAll(() => pw?.cleanup());

const K = 3;

/** A new run whose sample K blocks on a real FIFO; restore() puts the photo back. */
async function blockedRun(name: string): Promise<{ run: EvalRun; restore: () => void }> {
  const run = await createEvalRun(pw.db, {
    name, versionId: pw.version.id, split: 'all', modelId: pw.model.id, mode: 'classifier', seed: 23, nSamples: null, classMapping: 'imagenet-cats-vs-dogs',
  });
  const hash = evalSampleRows(pw.db, run.id)[K].imageHash;
  const file = imagePath(pw.ws, hash, pw.db.prepare('SELECT ext FROM images WHERE hash = ?').pluck().get(hash) as string);
  const saved = readFileSync(file);
  rmSync(file);
  makeFifo(file);
  return {
    run,
    restore: () => {
      releaseFifo(file);
      rmSync(file, { force: true });
      writeFileSync(file, saved);
    },
  };
}

async function untilDone(runId: number, n: number, alive: () => boolean): Promise<void> {
  const t0 = Date.now();
  while (getEvalRun(pw.db, runId).doneCount < n) {
    if (!alive() || Date.now() - t0 > 60_000) throw new Error(`the eval did not reach sample ${n}`);
    await sleep(50);
  }
}

/** Resumes the interrupted run through the studio and checks it completes with the first K rows untouched. */
async function resumeToEnd(core: StudioCore, run: EvalRun): Promise<void> {
  const before = evalSampleRows(pw.db, run.id).slice(0, K);
  const call = createDispatcher(core.handlers);
  const { jobId } = (await call('evals:resume', { runId: run.id })) as { jobId: string };
  const job = await core.jobs.wait(jobId);
  expect(job.status, job.error ?? '').toBe('done');
  expect(getEvalRun(pw.db, run.id)).toMatchObject({ status: 'done', doneCount: run.plannedCount, error: null });
  expect(evalSampleRows(pw.db, run.id).slice(0, K)).toEqual(before);
}

describe('an eval job whose studio process stops', () => {
  it('is interrupted when the app closes mid-run, and resumes', { timeout: 120_000 }, async () => {
    const { run, restore } = await blockedRun('app-closed');
    try {
      const core = createStudioCore(openWorkspace(pw.root));
      const { jobId } = (await createDispatcher(core.handlers)('evals:resume', { runId: run.id })) as { jobId: string };
      await untilDone(run.id, K, () => true);
      expect(core.jobs.activeFor({ kind: 'eval-run', id: run.id })?.id).toBe(jobId);
      await core.close();
      expect(getEvalRun(pw.db, run.id)).toMatchObject({ status: 'interrupted', doneCount: K, error: INTERRUPTED_RUN_ERROR });
      const next = createStudioCore(openWorkspace(pw.root));
      try {
        expect(next.jobs.get(jobId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_ERROR, owner: { kind: 'eval-run', id: run.id } });
        expect(next.jobs.activeFor({ kind: 'eval-run', id: run.id })).toBeNull();
        restore();
        await resumeToEnd(next, run);
      } finally {
        await next.close();
      }
    } finally {
      restore();
    }
  });

  it('is interrupted after kill -9 of a real studio host process, and resumes in the next one', { timeout: 120_000 }, async () => {
    const { run, restore } = await blockedRun('host-killed');
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/eval-host.ts'), pw.root, String(run.id)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    host.stdout.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => host.on('exit', (_c, signal) => res(signal)));
    try {
      try {
        await untilDone(run.id, K, () => host.exitCode === null);
      } finally {
        host.kill('SIGKILL');
      }
      expect(await exited, out).toBe('SIGKILL');
      const jobId = /JOB (\S+)/.exec(out)?.[1] as string;
      expect(pw.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(jobId)).toBe('running');
      expect(getEvalRun(pw.db, run.id).status).toBe('running');
      const next = createStudioCore(openWorkspace(pw.root));
      try {
        expect(next.jobs.get(jobId)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_ERROR });
        expect(getEvalRun(pw.db, run.id)).toMatchObject({ status: 'interrupted', doneCount: K });
        restore();
        await resumeToEnd(next, run);
      } finally {
        await next.close();
      }
    } finally {
      restore();
    }
  });

  it('cancelled while still queued: the run is cancelled (not left queued), holds no claim, and resumes later', { timeout: 60_000 }, async () => {
    const run = await createEvalRun(pw.db, {
      name: 'queued-cancel', versionId: pw.version.id, split: 'all', modelId: pw.model.id, mode: 'classifier', seed: 23, nSamples: 4, classMapping: 'imagenet-cats-vs-dogs',
    });
    // The inference thread takes one run at a time here, and a run blocked on a FIFO holds it, so the eval job waits in the queue.
    const blocked = await blockedRun('queue-holder');
    const jobs = new JobManager({ workspaceRoot: pw.root, bus: new StudioEventBus(), db: pw.db, cancelGraceMs: 200, inferenceHost: new InferenceHost({ maxRuns: 1 }) });
    try {
      const holder = jobs.start('eval', { runId: blocked.run.id });
      await untilDone(blocked.run.id, K, () => true);
      const evalJob = jobs.start('eval', { runId: run.id });
      expect(jobs.get(evalJob).status).toBe('queued');
      expect(jobs.cancel(evalJob)).toBe(true);
      expect((await jobs.wait(evalJob)).status).toBe('cancelled');
      expect(pw.db.prepare('SELECT status, claim_pid AS pid FROM eval_runs WHERE id = ?').get(run.id)).toEqual({ status: 'cancelled', pid: null });
      // The holder ignores cancel (blocked in the FIFO): after the grace period its thread is stopped and a fresh one takes the next run.
      jobs.cancel(holder);
      expect((await jobs.wait(holder)).status).toBe('cancelled');
      // A read still stuck in the FIFO stalls image decoding process-wide (libvips), so let it go before the next run.
      blocked.restore();
      const resumed = await jobs.wait(jobs.start('eval', { runId: run.id }));
      expect(resumed.status, resumed.error ?? '').toBe('done');
      expect(getEvalRun(pw.db, run.id)).toMatchObject({ status: 'done', doneCount: 4 });
    } finally {
      await jobs.close();
      blocked.restore();
    }
  });
});
