/**
 * Eval runs are claimed across processes: with the real CLI (spawned through tsx) computing a run, a second CLI
 * resume and the studio's evals:resume are refused; after the first CLI is kill -9'd, the next open marks the run
 * interrupted and evals:resume finishes it without redoing the finished samples.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { INTERRUPTED_RUN_ERROR } from '../../src/main/evals/eval-claim';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { imagePath, openWorkspace } from '../../src/main/workspace/workspace';
import { makeFifo, releaseFifo } from '../fixtures/fifo';
import { REPO_ROOT } from '../support/assets';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { sleep } from '../fixtures/wait-until';

let pw: PetsWorkspace;
const spawned: ChildProcess[] = [];
beforeAll(async () => {
  pw = await makePetsWorkspace(5);
}, 120_000);
afterAll(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  pw?.cleanup();
});


function cli(args: string[]): { child: ChildProcess; out: () => string; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/main/cli/index.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return { child, out: () => text, done };
}

const claim = (runId: number) => pw.db.prepare('SELECT claim_pid AS pid, status FROM eval_runs WHERE id = ?').get(runId) as { pid: number | null; status: string };

describe('an eval run claimed by a CLI process', () => {
  it('refuses concurrent resumes, is marked interrupted once its CLI is kill -9ed, and resumes in the studio', { timeout: 120_000 }, async () => {
    const run = await createEvalRun(pw.db, {
      name: 'claimed', versionId: pw.version.id, split: 'all', modelId: pw.model.id, mode: 'classifier', seed: 23, nSamples: null, classMapping: 'imagenet-cats-vs-dogs',
    });
    const k = 4;
    const planned = evalSampleRows(pw.db, run.id);
    const ext = pw.db.prepare('SELECT ext FROM images WHERE hash = ?').pluck().get(planned[k].imageHash) as string;
    const blocked = imagePath(pw.ws, planned[k].imageHash, ext);
    const saved = readFileSync(blocked);
    rmSync(blocked);
    // Reading sample k blocks on a real FIFO: the CLI stops mid-run, database open, run claimed.
    makeFifo(blocked);
    try {
      const first = cli(['eval', '--resume', String(run.id), '--workspace', pw.root]);
      const t0 = Date.now();
      while (getEvalRun(pw.db, run.id).doneCount < k) {
        if (first.child.exitCode !== null || Date.now() - t0 > 60_000) throw new Error(`first CLI did not reach sample ${k}:\n${first.out()}`);
        await sleep(50);
      }
      await sleep(300);
      expect(getEvalRun(pw.db, run.id).doneCount).toBe(k);
      expect(claim(run.id)).toEqual({ pid: first.child.pid, status: 'running' });

      const second = cli(['eval', '--resume', String(run.id), '--workspace', pw.root]);
      expect((await second.done).code).toBe(1);
      expect(second.out()).toContain(`is already running in process ${first.child.pid}`);
      expect(getEvalRun(pw.db, run.id).doneCount).toBe(k);

      const core = createStudioCore(openWorkspace(pw.root));
      const call = createDispatcher(core.handlers);
      try {
        await expect(call('evals:resume', { runId: run.id })).rejects.toThrow(`already running in process ${first.child.pid}`);
        await expect(call('evals:delete', { runId: run.id })).rejects.toThrow(/cancel the running eval/);

        first.child.kill('SIGKILL');
        expect((await first.done).signal).toBe('SIGKILL');
        expect(claim(run.id)).toEqual({ pid: first.child.pid, status: 'running' });
        const reopened = openWorkspace(pw.root);
        reopened.close();
        expect(claim(run.id)).toEqual({ pid: null, status: 'interrupted' });
        expect(getEvalRun(pw.db, run.id).error).toBe(INTERRUPTED_RUN_ERROR);

        const before = evalSampleRows(pw.db, run.id).slice(0, k);
        rmSync(blocked);
        writeFileSync(blocked, saved);
        const { jobId } = (await call('evals:resume', { runId: run.id })) as { jobId: string };
        expect(core.jobs.get(jobId).owner).toEqual({ kind: 'eval-run', id: run.id });
        const job = await core.jobs.wait(jobId);
        expect(job.status, job.error ?? '').toBe('done');
        expect(job.kind === 'eval' ? job.result : null).toEqual({ runId: run.id, status: 'done' });
        const finished = getEvalRun(pw.db, run.id);
        expect([finished.status, finished.doneCount, finished.error]).toEqual(['done', planned.length, null]);
        expect(evalSampleRows(pw.db, run.id).slice(0, k)).toEqual(before);
        expect(claim(run.id).pid).toBeNull();
      } finally {
        await core.close();
      }
    } finally {
      releaseFifo(blocked);
      rmSync(blocked, { force: true });
      writeFileSync(blocked, saved);
    }
  });
});
