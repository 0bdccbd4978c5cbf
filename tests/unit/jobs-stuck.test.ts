/**
 * A job whose worker thread ignores cancel (here: a real worker blocked in a synchronous open() of a
 * real FIFO, which neither cancel nor worker.terminate() can interrupt) is marked cancelled after the
 * grace period and frees its slot, so queued jobs run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { JobManager } from '../../src/main/jobs/job-manager';
import type { JobWorkerData } from '../../src/main/jobs/job-messages';
import type { ImportJobResult } from '../../src/shared/jobs';
import { startJobWorker } from '../../src/main/jobs/worker-entry';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { makeFifo, releaseFifo } from '../fixtures/fifo';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

const fifos: string[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of fifos) releaseFifo(f);
  fifos.length = 0;
  for (const c of closers.splice(0).reverse()) await c();
  cleanupTempDirs();
});

/** Jobs whose source is a FIFO run in a worker that blocks opening it; all others run the real job worker. */
function startWorker(data: JobWorkerData): Worker {
  if (data.kind === 'import' && data.params.source.endsWith('.fifo')) {
    return new Worker(`require('node:fs').openSync(require('node:worker_threads').workerData.params.source, 'r');`, { eval: true, workerData: data });
  }
  return startJobWorker(data);
}

describe('a job that ignores cancel', () => {
  it('is marked cancelled after the grace period and its slot is freed for queued jobs', { timeout: 40_000 }, async () => {
    const ws = openWorkspace(makeTempDir('vcs-ws-'));
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, maxConcurrent: 2, cancelGraceMs: 300, startWorker });
    closers.push(() => ws.close(), () => jobs.close());
    const dir = makeTempDir('vcs-fifo-');
    const stuck = [1, 2].map((n) => {
      const fifo = makeFifo(join(dir, `${n}.fifo`));
      fifos.push(fifo);
      return jobs.start('import', { source: fifo, format: 'csv', datasetName: `stuck${n}` });
    });
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 2, join(src, 'cat'));
    const next = jobs.start('import', { source: src, format: 'imagefolder', datasetName: 'next' });
    await new Promise((r) => setTimeout(r, 500));
    expect(stuck.map((id) => jobs.get(id).status)).toEqual(['running', 'running']);
    expect(jobs.get(next).status).toBe('queued');

    const t0 = Date.now();
    for (const id of stuck) expect(jobs.cancel(id)).toBe(true);
    const ended = await Promise.all(stuck.map((id) => jobs.wait(id)));
    expect(Date.now() - t0).toBeLessThan(5_000);
    for (const info of ended) {
      expect(info.status).toBe('cancelled');
      expect(info.message).toMatch(/did not stop within 0\.3 s of the cancel request; its worker was terminated/);
    }
    const done = await jobs.wait(next);
    expect(done.status).toBe('done');
    expect((ws.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n).toBe(2);
  });
});

describe('an import job whose manifest lists a FIFO', () => {
  it('finishes in the real job worker, reporting the FIFO, instead of blocking its slot', { timeout: 30_000 }, async () => {
    const ws = openWorkspace(makeTempDir('vcs-ws-'));
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, maxConcurrent: 1 });
    closers.push(() => ws.close(), () => jobs.close());
    const src = makeTempDir('vcs-src-');
    const [cat] = copyPets('cats', 1, src);
    fifos.push(makeFifo(join(src, 'pipe.jpg')));
    writeFileSync(join(src, 'm.csv'), `path,label\npipe.jpg,cat\n${cat},cat\n`);
    const info = await jobs.wait(jobs.start('import', { source: join(src, 'm.csv'), format: 'csv', datasetName: 'fifo' }));
    expect(info.status).toBe('done');
    expect(info.result as ImportJobResult).toMatchObject({ imported: 1, issueCount: 1, cancelled: false });
    const [issue] = ws.db.prepare('SELECT path, reason FROM import_issues').all() as { path: string; reason: string }[];
    expect(issue).toEqual({ path: join(src, 'pipe.jpg'), reason: 'not-a-regular-file' });
  });
});
