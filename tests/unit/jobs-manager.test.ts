/** JobManager with real worker threads (TypeScript worker loaded through tsx): progress, results, cancel, failure, crash recovery. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src/shared/domain';
import type { ImportJobResult, JobProgress, JobStatus } from '../../src/shared/jobs';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { JobManager } from '../../src/main/jobs/job-manager';
import type { JobWorkerData } from '../../src/main/jobs/job-messages';
import { INTERRUPTED_ERROR } from '../../src/main/jobs/job-store';
import { processStartTime } from '../../src/main/system/process-identity';
import { resolveJobWorker } from '../../src/main/jobs/worker-entry';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { copyPets } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  cleanupTempDirs();
});

function setup(): { ws: Workspace; bus: StudioEventBus; jobs: JobManager } {
  const ws = openWorkspace(makeTempDir('vcs-ws-'));
  const bus = new StudioEventBus();
  const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
  cleanups.push(() => ws.close(), () => jobs.close());
  return { ws, bus, jobs };
}

const sampleCount = (ws: Workspace): number => (ws.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;

describe('JobManager', () => {
  it('runs an import in a worker thread: progress ends at 1, statuses queued → running → done, dataset:changed', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 3, join(src, 'cat'));
    copyPets('dogs', 3, join(src, 'dog'));
    const { ws, bus, jobs } = setup();
    const progress: JobProgress[] = [];
    const statuses: JobStatus[] = [];
    const changed: number[] = [];
    bus.on('jobs:progress', (p) => progress.push(p));
    bus.on('jobs:changed', (j) => statuses.push(j.status));
    bus.on('dataset:changed', (d) => changed.push(d.datasetId));
    const id = jobs.start('import', { source: src, format: 'auto', datasetName: 'pets' });
    const info = await jobs.wait(id);
    expect(info.error).toBeNull();
    expect(info.status).toBe('done');
    expect(statuses).toEqual(['queued', 'running', 'done']);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((p) => p.jobId === id && p.kind === 'import')).toBe(true);
    expect(progress.at(-1)?.value).toBe(1);
    const values = progress.map((p) => p.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const result = info.result as ImportJobResult;
    expect([result.imported, result.issueCount, result.cancelled]).toEqual([6, 0, false]);
    expect(changed).toEqual([result.datasetId]);
    expect(sampleCount(ws)).toBe(6);
    expect(jobs.get(id)).toMatchObject({ status: 'done', value: 1 });
    expect(jobs.list().map((j) => j.id)).toEqual([id]);
  });

  it('cancels a running import cooperatively: status cancelled, samples table empty, report saved', async () => {
    const src = makeTempDir('vcs-src-');
    copyPets('cats', 60, join(src, 'cat'));
    copyPets('dogs', 60, join(src, 'dog'));
    const { ws, bus, jobs } = setup();
    let id = '';
    let asked = false;
    bus.on('jobs:progress', (p) => {
      if (!asked && p.value > 0.02) {
        asked = true;
        expect(jobs.cancel(id)).toBe(true);
      }
    });
    id = jobs.start('import', { source: src, format: 'imagefolder', datasetName: 'big' });
    const info = await jobs.wait(id);
    expect(info.status).toBe('cancelled');
    expect((info.result as ImportJobResult).cancelled).toBe(true);
    expect(sampleCount(ws)).toBe(0);
    expect(ws.db.prepare('SELECT cancelled FROM import_reports').all()).toEqual([{ cancelled: 1 }]);
    expect(jobs.cancel(id)).toBe(false);
  });

  it('runs an export job and reports a failing import as failed with its message', async () => {
    const { ws, jobs } = setup();
    const bad = jobs.start('import', { source: join(ws.root, 'does-not-exist'), format: 'auto', datasetName: 'x' });
    const failed = await jobs.wait(bad);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/Import source not found/);

    const src = makeTempDir('vcs-src-');
    copyPets('cats', 2, join(src, 'cat'));
    const imp = await jobs.wait(jobs.start('import', { source: src, format: 'imagefolder', datasetName: 'e' }));
    const datasetId = (imp.result as ImportJobResult).datasetId;
    const vid = Number(ws.db.prepare(`INSERT INTO dataset_versions (dataset_id, name, classes_json, sample_count) VALUES (?, 'v', '["cat"]', 2)`).run(datasetId).lastInsertRowid);
    ws.db.prepare(`INSERT INTO version_samples SELECT ?, id, image_hash, original_path, 'cat', NULL FROM samples WHERE dataset_id = ?`).run(vid, datasetId);
    const dest = join(makeTempDir('vcs-out-'), 'export');
    const exp = await jobs.wait(jobs.start('export', { versionId: vid, format: 'csv', destination: dest }));
    expect(exp.status).toBe('done');
    expect(exp.result as ExportResult).toEqual({ destination: dest, files: ['labels.csv'], sampleCount: 2 });
  });

  it('marks thread jobs a crashed process left running or queued as interrupted, and finishes them exactly once', () => {
    const ws = openWorkspace(makeTempDir('vcs-ws-'));
    cleanups.push(() => ws.close());
    const insert = ws.db.prepare(`INSERT INTO jobs (id, kind, status, params_json) VALUES (?, ?, ?, '{}')`);
    insert.run('a', 'import', 'running');
    insert.run('b', 'import', 'queued');
    insert.run('c', 'import', 'done');
    insert.run('d', 'no-such-kind', 'running');
    const bus = new StudioEventBus();
    const changed: string[] = [];
    bus.on('jobs:changed', (j) => changed.push(`${j.id}:${j.status}`));
    const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
    cleanups.push(() => jobs.close());
    expect(jobs.get('a')).toMatchObject({ status: 'interrupted', error: INTERRUPTED_ERROR });
    expect(jobs.get('b')).toMatchObject({ status: 'interrupted', error: INTERRUPTED_ERROR });
    expect(jobs.get('c')).toMatchObject({ status: 'done', error: null });
    expect(jobs.get('d').status).toBe('interrupted');
    expect(jobs.get('a').finishedAt).not.toBeNull();
    expect(changed).toEqual(['a:interrupted', 'b:interrupted']);
    const again = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
    cleanups.push(() => again.close());
    expect(changed).toHaveLength(2);
  });
});

describe('JobManager result schemas', () => {
  it('fails a job whose worker reports a result that does not match its kind\'s schema, and stores a valid one unchanged', async () => {
    const ws = openWorkspace(makeTempDir('vcs-ws-'));
    const post = (result: unknown) => `require('node:worker_threads').parentPort.postMessage({ type: 'done', result: ${JSON.stringify(result)}, cancelled: false, datasetId: null });`;
    const good = { destination: '/x', files: ['labels.csv'], sampleCount: 2, note: 'kept' };
    const startWorker = (data: JobWorkerData): Worker =>
      new Worker(post(data.kind === 'export' && data.params.destination === '/good' ? good : { destination: 7 }), { eval: true });
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, startWorker });
    cleanups.push(() => ws.close(), () => jobs.close());
    const bad = await jobs.wait(jobs.start('export', { versionId: 1, format: 'csv', destination: '/bad' }));
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/export job's result does not match its schema/);
    expect(bad.result).toBeNull();
    const ok = await jobs.wait(jobs.start('export', { versionId: 1, format: 'csv', destination: '/good' }));
    expect(ok).toMatchObject({ status: 'done', result: good });
    expect(() => jobs.start('export', { versionId: -1, format: 'csv', destination: '/x' })).toThrow(/export job/);
  });
});

describe('JobManager start-up recovery across studio processes', () => {
  it('leaves jobs a live studio process drives to it, and recovers those of a dead one (a reused pid is not the host)', () => {
    const ws = openWorkspace(makeTempDir('vcs-ws-'));
    cleanups.push(() => ws.close());
    const other = process.ppid;
    const insert = ws.db.prepare(`INSERT INTO jobs (id, kind, status, params_json, host_pid, host_started) VALUES (?, 'import', 'running', '{}', ?, ?)`);
    insert.run('live-host', other, processStartTime(other));
    insert.run('reused-pid', other, 'not-its-start-time');
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db });
    cleanups.push(() => jobs.close());
    expect(jobs.get('live-host').status).toBe('running');
    expect(jobs.get('reused-pid')).toMatchObject({ status: 'interrupted', error: INTERRUPTED_ERROR });
    expect(ws.db.prepare(`SELECT host_pid FROM jobs WHERE id = 'live-host'`).pluck().get()).toBe(other);
  });
});

describe('resolveJobWorker', () => {
  it('uses the TypeScript worker (loaded through tsx) when running from sources', () => {
    expect(resolveJobWorker(pathToFileURL('/work/x/src/main/jobs/job-manager.ts').href)).toEqual({
      file: '/work/x/src/main/jobs/job-worker.ts',
      typescript: true,
    });
  });

  it('finds out/main/job-worker.js from the bundle entry or from a shared chunk, and fails clearly when absent', () => {
    const out = makeTempDir('vcs-out-');
    mkdirSync(join(out, 'main', 'chunks'), { recursive: true });
    writeFileSync(join(out, 'main', 'job-worker.js'), '');
    expect(resolveJobWorker(pathToFileURL(join(out, 'main', 'index.js')).href).file).toBe(join(out, 'main', 'job-worker.js'));
    expect(resolveJobWorker(pathToFileURL(join(out, 'main', 'chunks', 'jobs-abc.js')).href)).toEqual({ file: join(out, 'main', 'job-worker.js'), typescript: false });
    expect(() => resolveJobWorker(pathToFileURL(join(out, 'other.js')).href)).toThrow(/Job worker script not found/);
  });
});
