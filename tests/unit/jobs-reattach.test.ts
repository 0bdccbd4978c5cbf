/**
 * Jobs that outlive the process that started them: a test-registered kind whose work is a real detached child
 * process keeps running when its JobManager closes or its host process is kill -9'd; a new JobManager on the same
 * database re-attaches, follows the output from the stored offset, and the job finishes exactly once.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { eraseKind } from '../../src/main/jobs/job-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { isProcessAlive } from '../../src/main/system/process-identity';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { stepsJobKind } from '../fixtures/steps-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { sleep, until as waitUntil } from '../fixtures/wait-until';
import { REPO_ROOT } from '../support/assets';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  cleanupTempDirs();
});

const until = (cond: () => boolean, what: string, ms = 15_000) => waitUntil(cond, what, ms, 20);

interface Observed {
  bus: StudioEventBus;
  progress: string[];
  finished: string[];
}
function observe(): Observed {
  const o: Observed = { bus: new StudioEventBus(), progress: [], finished: [] };
  o.bus.on('jobs:progress', (p) => o.progress.push(p.message));
  o.bus.on('jobs:changed', (j) => {
    if (j.status !== 'queued' && j.status !== 'running') o.finished.push(`${j.id}:${j.status}`);
  });
  return o;
}

function manager(ws: Workspace, o: Observed): JobManager {
  const jobs = new JobManager({ workspaceRoot: ws.root, bus: o.bus, db: ws.db, extraKinds: [eraseKind(stepsJobKind)] });
  cleanups.push(() => jobs.close());
  return jobs;
}

function setup(): { ws: Workspace; startsFile: string } {
  const ws = openWorkspace(makeTempDir('vcs-ws-'));
  cleanups.push(() => ws.close());
  const startsFile = join(makeTempDir('vcs-starts-'), 'starts.txt');
  // Never leave a detached child behind, whatever happened.
  cleanups.push(() => {
    for (const { ref } of ws.db.prepare('SELECT external_ref AS ref FROM jobs WHERE external_ref IS NOT NULL').all() as { ref: string }[]) {
      try {
        process.kill(-(JSON.parse(ref) as { pid: number }).pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  return { ws, startsFile };
}

const jobRow = (ws: Workspace, id: string) =>
  ws.db.prepare('SELECT status, backend, external_ref AS ref, log_offset AS logOffset, finished_at AS finishedAt FROM jobs WHERE id = ?').get(id) as {
    status: string;
    backend: string;
    ref: string;
    logOffset: number;
    finishedAt: string | null;
  };
const refOf = (ws: Workspace, id: string) => JSON.parse(jobRow(ws, id).ref) as { pid: number; started: string | null; log: string };
const steps = (n: number) => Array.from({ length: n }, (_, i) => `step ${i + 1}`);
const startLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('a detached process job', () => {
  it('keeps running when its JobManager closes; a new one re-attaches from the stored offset and it finishes once', { timeout: 30_000 }, async () => {
    const { ws, startsFile } = setup();
    const first = observe();
    const m1 = manager(ws, first);
    const id = m1.startKind(stepsJobKind, { n: 8, ms: 150, startsFile });
    await until(() => first.progress.length >= 2, 'two steps');
    await m1.close();
    const closed = jobRow(ws, id);
    expect([closed.status, closed.backend]).toEqual(['running', 'process']);
    expect(closed.logOffset).toBeGreaterThan(0);
    const ref = refOf(ws, id);
    expect(isProcessAlive(ref.pid, ref.started)).toBe(true);
    const followedBeforeClose = first.progress.length;
    await sleep(400); // the work goes on with nobody following it
    expect(first.progress).toHaveLength(followedBeforeClose);
    expect(readFileSync(ref.log, 'utf8').length).toBeGreaterThan(closed.logOffset);

    const second = observe();
    const m2 = manager(ws, second);
    const info = await m2.wait(id);
    expect(info.status).toBe('done');
    expect(info.kind as string).toBe('test-steps');
    const starts = startLines(startsFile);
    expect(starts).toHaveLength(1);
    expect(info.result).toEqual({ steps: 8, pid: Number(starts[0]) });
    expect(second.progress.length).toBeGreaterThan(0);
    expect([...first.progress, ...second.progress]).toEqual(steps(8));
    expect([...first.finished, ...second.finished]).toEqual([`${id}:done`]);

    const finishedAt = jobRow(ws, id).finishedAt;
    const third = observe();
    manager(ws, third);
    await sleep(200);
    expect([third.progress, third.finished]).toEqual([[], []]);
    expect(jobRow(ws, id).finishedAt).toBe(finishedAt);
    expect(startLines(startsFile)).toHaveLength(1);
  });

  it('survives kill -9 of its host process: the next JobManager re-attaches, continues the output, finishes it once', { timeout: 60_000 }, async () => {
    const { ws, startsFile } = setup();
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/steps-job-host.ts'), ws.root, '8', '250', startsFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    host.stdout.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => host.on('exit', (_c, signal) => res(signal)));
    try {
      await until(() => out.includes('PROGRESS step 2\n') || host.exitCode !== null, 'the host to follow two steps', 30_000);
    } finally {
      host.kill('SIGKILL');
    }
    expect(await exited, err).toBe('SIGKILL');
    const id = /JOB (\S+)/.exec(out)?.[1] as string;
    const hostSeen = [...out.matchAll(/^PROGRESS (.*)$/gm)].map((m) => m[1]);
    expect(hostSeen.slice(0, 2)).toEqual(['step 1', 'step 2']);
    expect(out).not.toContain('STATUS done');
    const ref = refOf(ws, id);
    expect(jobRow(ws, id).status).toBe('running');
    expect(isProcessAlive(ref.pid, ref.started)).toBe(true);

    const next = observe();
    const jobs = manager(ws, next);
    const info = await jobs.wait(id);
    expect(info.status).toBe('done');
    expect([...hostSeen, ...next.progress]).toEqual(steps(8));
    expect(next.finished).toEqual([`${id}:done`]);
    expect(startLines(startsFile)).toHaveLength(1);
    expect(info.result).toEqual({ steps: 8, pid: Number(startLines(startsFile)[0]) });
  });

  it('finished while no studio was open: the next start reads the rest of its output and its result', { timeout: 30_000 }, async () => {
    const { ws, startsFile } = setup();
    const first = observe();
    const m1 = manager(ws, first);
    const id = m1.startKind(stepsJobKind, { n: 4, ms: 60, startsFile });
    await until(() => first.progress.length >= 1, 'one step');
    await m1.close();
    const ref = refOf(ws, id);
    await until(() => !isProcessAlive(ref.pid, ref.started), 'the work to finish unobserved');
    expect(jobRow(ws, id).status).toBe('running');
    const second = observe();
    const info = await manager(ws, second).wait(id);
    expect(info.status).toBe('done');
    expect([...first.progress, ...second.progress]).toEqual(steps(4));
    expect(second.finished).toEqual([`${id}:done`]);
    expect(startLines(startsFile)).toHaveLength(1);
  });

  it('is cancelled by stopping its whole process group, also after a re-attach', { timeout: 30_000 }, async () => {
    const { ws, startsFile } = setup();
    const first = observe();
    const m1 = manager(ws, first);
    const id = m1.startKind(stepsJobKind, { n: 50, ms: 100, startsFile });
    await until(() => first.progress.length >= 1, 'one step');
    await m1.close();
    const second = observe();
    const m2 = manager(ws, second);
    expect(m2.cancel(id)).toBe(true);
    const info = await m2.wait(id);
    expect(info.status).toBe('cancelled');
    const ref = refOf(ws, id);
    await until(() => !isProcessAlive(ref.pid, ref.started), 'the wrapper to stop');
    const work = Number(startLines(startsFile)[0]);
    await until(() => !isProcessAlive(work, null), 'the work to stop');
    expect(second.finished).toEqual([`${id}:cancelled`]);
  });
});
