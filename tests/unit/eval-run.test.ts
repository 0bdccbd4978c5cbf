/** Runs real MobileNetV2 evals over real imported pet photos: metrics, cancel + resume, kill -9 + resume, error rows. */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEvalParams, EvalRun, EvalSampleRow } from '../../src/shared/eval-types';
import type { EvalMetrics } from '../../src/shared/metrics-types';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { runEvalCancelledAfter } from '../fixtures/eval-cancel';
import { imagePath } from '../../src/main/workspace/workspace';
import { REPO_ROOT } from '../support/assets';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let reference: EvalRun;
const N = 30;

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

/** Everything that must not depend on timing or on how many attempts the run took. */
function stable(m: EvalMetrics | null): Omit<EvalMetrics, 'latency' | 'wallTimeMs' | 'throughputPerSec'> {
  if (m === null) throw new Error('run has no metrics');
  const { latency: _l, wallTimeMs: _w, throughputPerSec: _t, ...rest } = m;
  return rest;
}
const outcome = (rows: EvalSampleRow[]) => rows.map((r) => [r.sampleId, r.prediction, r.probabilities, r.error]);
const evaluatedMessages = (messages: string[]) => messages.filter((m) => m.startsWith('Evaluated'));

beforeAll(async () => {
  pw = await makePetsWorkspace(N / 2);
  const run = await createEvalRun(pw.db, params('reference'));
  reference = await runEval(pw.ws, run.id);
});
afterAll(() => pw?.cleanup());

describe('classifier eval on real photos', () => {
  it('classifies every sample and stores real metrics', () => {
    expect(reference.status).toBe('done');
    expect([reference.plannedCount, reference.doneCount]).toEqual([N, N]);
    expect(reference.startedAt).not.toBeNull();
    expect(reference.finishedAt).not.toBeNull();
    const m = reference.metrics as EvalMetrics;
    expect(m.n).toBe(N);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(m.confusion.rows).toEqual(['cat', 'dog']);
    expect(m.confusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(N);
    expect(m.confusion.counts.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([N / 2, N / 2]);
    expect(m.perClass.map((c) => c.support)).toEqual([N / 2, N / 2]);
    expect(m.calibration?.n).toBe(N);
    expect(m.latency?.n).toBe(N);
    expect(m.wallTimeMs).toBeGreaterThan(0);
    expect(m.throughputPerSec).toBeGreaterThan(0);
    const rows = evalSampleRows(pw.db, reference.id);
    const correct = rows.filter((r) => r.prediction === r.truth).length;
    expect(correct).toBe(m.correct);
    for (const r of rows) {
      expect(r.done).toBe(true);
      expect(r.error).toBeNull();
      const p = r.probabilities as number[];
      expect(Math.abs(p[0] + p[1] - 1)).toBeLessThan(1e-9);
      expect(r.prediction).toBe(p[0] >= p[1] ? 'cat' : 'dog');
      expect(r.rawOutput).toMatch(/^[^;]+ [01]\.\d{4}(; [^;]+ [01]\.\d{4}){2}$/);
      expect(r.latencyMs).toBeGreaterThan(0);
    }
  });

  it('returns a finished run as is, and refuses a second concurrent runEval of one run', async () => {
    const messages: string[] = [];
    expect(await runEval(pw.ws, reference.id, { onProgress: (_, m) => messages.push(m) })).toEqual(getEvalRun(pw.db, reference.id));
    expect(messages).toEqual([]);
    const run = await createEvalRun(pw.db, { ...params('concurrent'), nSamples: 3 });
    const first = runEval(pw.ws, run.id);
    await expect(runEval(pw.ws, run.id)).rejects.toThrow(/already running/);
    expect((await first).status).toBe('done');
  });

  it('cancel after k samples, then resume: finished rows are never recomputed and metrics equal an uninterrupted run', async () => {
    const run = await createEvalRun(pw.db, params('cancel-resume'));
    const cancelled = await runEvalCancelledAfter(pw.ws, run.id, 7);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.doneCount).toBe(7);
    expect(cancelled.metrics).toBeNull();
    const before = evalSampleRows(pw.db, run.id).filter((r) => r.done);
    expect(before.map((r) => r.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const messages: string[] = [];
    const resumed = await runEval(pw.ws, run.id, { onProgress: (_, m) => messages.push(m) });
    expect(evaluatedMessages(messages)).toEqual(Array.from({ length: N - 7 }, (_, i) => `Evaluated ${8 + i} of ${N} samples`));
    const after = evalSampleRows(pw.db, run.id);
    expect(after.slice(0, 7)).toEqual(before); // latencies included: untouched rows
    expect(resumed.status).toBe('done');
    expect(outcome(after)).toEqual(outcome(evalSampleRows(pw.db, reference.id)));
    expect(stable(resumed.metrics)).toEqual(stable(reference.metrics));
  });

  it('survives kill -9 of a child process mid-run; resuming in-process finishes only the missing samples', async () => {
    const run = await createEvalRun(pw.db, params('kill-resume'));
    const k = 9;
    const script = join(pw.root, 'eval-child.mts');
    writeFileSync(
      script,
      `import { openWorkspace } from ${JSON.stringify(join(REPO_ROOT, 'src/main/workspace/workspace.ts'))};
import { runEval } from ${JSON.stringify(join(REPO_ROOT, 'src/main/evals/run-eval.ts'))};
const [root, runId, k] = process.argv.slice(2);
const ws = openWorkspace(root);
let n = 0;
await runEval(ws, Number(runId), {
  onProgress: (_v, m) => {
    if (!m.startsWith('Evaluated') || ++n !== Number(k)) return;
    process.stdout.write('PAUSED\\n');
    // Freeze with the database open and the run marked running, until the parent kills us.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
process.stdout.write('FINISHED\\n');
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, pw.root, String(run.id), String(k)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    try {
      await new Promise<void>((res, rej) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('PAUSED')) res();
        });
        child.on('exit', () => rej(new Error(`child exited before pausing:\n${stdout}\n${stderr}`)));
      });
      const mid = getEvalRun(pw.db, run.id);
      expect([mid.status, mid.doneCount]).toEqual(['running', k]);
    } finally {
      // Never leave a frozen child behind, whatever happened above.
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toContain('FINISHED');

    const crashed = getEvalRun(pw.db, run.id);
    expect([crashed.status, crashed.doneCount]).toEqual(['running', k]);
    const before = evalSampleRows(pw.db, run.id).filter((r) => r.done);
    const messages: string[] = [];
    const resumed = await runEval(pw.ws, run.id, { onProgress: (_, m) => messages.push(m) });
    expect(evaluatedMessages(messages)).toHaveLength(N - k);
    expect(evaluatedMessages(messages)[0]).toBe(`Evaluated ${k + 1} of ${N} samples`);
    const after = evalSampleRows(pw.db, run.id);
    expect(after.slice(0, k)).toEqual(before);
    expect(resumed.status).toBe('done');
    expect(outcome(after)).toEqual(outcome(evalSampleRows(pw.db, reference.id)));
    expect(stable(resumed.metrics)).toEqual(stable(reference.metrics));
  });

  it('turns an undecodable and a missing image into error rows counted as off-label, without stopping the run', async () => {
    const run = await createEvalRun(pw.db, params('broken-images'));
    const planned = evalSampleRows(pw.db, run.id);
    const ext = (hash: string): string => pw.db.prepare('SELECT ext FROM images WHERE hash = ?').pluck().get(hash) as string;
    const corrupt = imagePath(pw.ws, planned[3].imageHash, ext(planned[3].imageHash));
    const missing = imagePath(pw.ws, planned[11].imageHash, ext(planned[11].imageHash));
    const saved = [readFileSync(corrupt), readFileSync(missing)];
    try {
      writeFileSync(corrupt, Buffer.from('this is not a jpeg at all'));
      rmSync(missing);
      const done = await runEval(pw.ws, run.id);
      expect(done.status).toBe('done');
      const rows = evalSampleRows(pw.db, run.id);
      expect(rows[3]).toMatchObject({ done: true, prediction: null, probabilities: null });
      expect(rows[3].error).toMatch(/Could not read image/);
      expect(rows[11]).toMatchObject({ done: true, prediction: null });
      expect(rows[11].error).toMatch(/missing from the workspace store/);
      expect(rows.filter((r) => r.error !== null)).toHaveLength(2);
      const m = done.metrics as EvalMetrics;
      expect(m.n).toBe(N);
      expect(m.offLabelCount).toBe(2);
      expect(m.calibration?.n).toBe(N - 2);
      expect(m.latency?.n).toBe(N - 2);
      // Every other row is exactly what the undisturbed reference run produced.
      const ref = evalSampleRows(pw.db, reference.id);
      const others = (list: EvalSampleRow[]) => outcome(list.filter((_, i) => i !== 3 && i !== 11));
      expect(others(rows)).toEqual(others(ref));
      expect(m.correct).toBe(rows.filter((r) => r.error === null && r.prediction === r.truth).length);
      expect(m.confusion.counts.map((r) => r[2]).reduce((a, b) => a + b, 0)).toBe(2);
    } finally {
      writeFileSync(corrupt, saved[0]);
      writeFileSync(missing, saved[1]);
    }
  });

  it('marks the run failed with the reason when the model folder is gone, and resumes once it is back', async () => {
    const run = await createEvalRun(pw.db, { ...params('model-gone'), nSamples: 4 });
    const moved = join(pw.root, 'moved-model');
    pw.db.prepare('UPDATE models SET path = ? WHERE id = ?').run(moved, pw.model.id);
    try {
      await expect(runEval(pw.ws, run.id)).rejects.toThrow(/folder of model "mobilenet" is gone/);
      expect(getEvalRun(pw.db, run.id)).toMatchObject({ status: 'failed', doneCount: 0 });
      expect(getEvalRun(pw.db, run.id).error).toMatch(/is gone/);
    } finally {
      pw.db.prepare('UPDATE models SET path = ? WHERE id = ?').run(pw.model.path, pw.model.id);
    }
    const done = await runEval(pw.ws, run.id);
    expect(done).toMatchObject({ status: 'done', error: null, doneCount: 4 });
  });
});
