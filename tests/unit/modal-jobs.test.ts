/**
 * Modal jobs through the STAND-IN modal CLI (tests/support/modal-stand-in.mjs; Modal's cloud cannot exist here): the
 * SSH tests' trainer stand-in really runs detached against a local folder acting as the volume; metrics become
 * progress, artifacts come back sha256-verified, cancel stops the app, a new JobManager re-attaches by app id and
 * finishes once, a flipped artifact byte fails the job, a missing CLI or login fails with one clear line, and the
 * job's token reaches the CLI only through its environment (no file anywhere holds its bytes).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { eraseKind } from '../../src/main/jobs/job-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { readAppSpec } from '../../src/main/modal/modal-app-file';
import { NOT_INSTALLED, NOT_LOGGED_IN, type ModalToken } from '../../src/main/modal/modal-cli';
import { DEFAULT_MODAL_VOLUME } from '../../src/main/modal/modal-executor';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { makeBundle, modalTestKind, type ModalTestKindOptions } from '../fixtures/modal-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { sleep, until as waitUntil } from '../fixtures/wait-until';
import { REPO_ROOT } from '../support/assets';

const cleanups: (() => Promise<void> | void)[] = [];
let cloud: string;
beforeEach(() => {
  // The stand-in's "cloud": volumes and apps live here; no real ~/.modal.toml counts as a login.
  cloud = makeTempDir('vcs-modal-cloud-');
  process.env.MODAL_STAND_IN_ROOT = cloud;
  process.env.MODAL_CONFIG_PATH = join(cloud, 'no-modal.toml');
});
afterEach(async () => {
  delete process.env.MODAL_STAND_IN_PUT_MS;
  for (const fn of cleanups.splice(0).reverse()) await fn();
  cleanupTempDirs();
});

const until = (cond: () => boolean, what: string, ms = 30_000) => waitUntil(cond, what, ms, 25);
const token = (): ModalToken => ({ tokenId: `ak-${randomBytes(12).toString('hex')}`, tokenSecret: `as-${randomBytes(16).toString('hex')}` });

function studio(): Workspace {
  const ws = openWorkspace(makeTempDir('vcs-ws-'));
  cleanups.push(() => ws.close());
  return ws;
}

function manager(ws: Workspace, opts: ModalTestKindOptions = {}) {
  const bus = new StudioEventBus();
  const seen = { progress: [] as string[], finished: [] as string[] };
  bus.on('jobs:progress', (p) => seen.progress.push(p.message));
  bus.on('jobs:changed', (j) => j.status !== 'queued' && j.status !== 'running' && seen.finished.push(`${j.id}:${j.status}`));
  const kind = modalTestKind(opts);
  const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, extraKinds: [eraseKind(kind)], cancelGraceMs: 5_000 });
  cleanups.push(() => jobs.close());
  return { jobs, kind, seen };
}

const metricSteps = (msgs: string[]) => msgs.filter((m) => m.startsWith('{"step"')).map((m) => (JSON.parse(m) as { step: number }).step);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const row = (ws: Workspace, id: string) =>
  ws.db.prepare('SELECT status, backend, external_ref AS ref, log_offset AS logOffset, result_json AS result FROM jobs WHERE id = ?').get(id) as {
    status: string;
    backend: string;
    ref: string | null;
    logOffset: number;
    result: string | null;
  };
const calls = (): string[][] => (existsSync(join(cloud, 'calls.log')) ? readFileSync(join(cloud, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : []);
const jobDir = (id: string) => join(cloud, 'volumes', DEFAULT_MODAL_VOLUME, 'jobs', id);
const appOf = (ws: Workspace, id: string) => JSON.parse(row(ws, id).ref as string) as { appId: string; volume: string; jobDir: string };
const appRecord = (appId: string) => JSON.parse(readFileSync(join(cloud, 'apps', `${appId}.json`), 'utf8')) as { pid: number; state: string };
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every file under the folders whose bytes contain the needle. */
function filesHolding(needle: string, ...dirs: string[]): string[] {
  const hits: string[] = [];
  for (const dir of dirs)
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      const full = join(e.parentPath, e.name);
      if (e.isFile() && readFileSync(full).includes(needle)) hits.push(full);
    }
  return hits;
}

describe('a Modal job through the stand-in modal CLI', () => {
  it('uploads the bundle, runs detached, streams metrics by offset, fetches verified artifacts; the token lives only in the CLI env', { timeout: 60_000 }, async () => {
    const ws = studio();
    const secret = token();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 6, 100);
    const { jobs, kind, seen } = manager(ws, { tokens: new Map([['me', secret]]) });
    const id = jobs.startKind(kind, { bundleDir: bundle, account: 'me', timeoutMinutes: 30 });
    const info = await jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    expect(metricSteps(seen.progress)).toEqual(range(6));
    expect(seen.progress).toContain('fetched 2 / 2 artifacts');
    const r = row(ws, id);
    expect(r.backend).toBe('modal');
    const ref = appOf(ws, id);
    expect(ref).toEqual({ appId: expect.stringMatching(/^ap-[0-9a-f]{22}$/), volume: DEFAULT_MODAL_VOLUME, jobDir: `jobs/${id}` });
    expect(r.logOffset).toBe(statSync(join(jobDir(id), 'out', 'metrics.jsonl')).size);
    const result = JSON.parse(r.result as string) as { appId: string; artifactsDir: string; files: Record<string, string> };
    expect(result.appId).toBe(ref.appId);
    expect(Object.keys(result.files).sort()).toEqual(['export/config.json', 'export/model.onnx']);
    expect(readFileSync(join(result.artifactsDir, 'export/model.onnx')).equals(readFileSync(join(jobDir(id), 'out/export/model.onnx')))).toBe(true);
    expect(readFileSync(join(ws.root, 'job-runs', id, 'train.log'), 'utf8')).toContain('training done');
    expect(readFileSync(join(ws.root, 'job-runs', id, 'modal-run.log'), 'utf8')).toContain(`View run at https://modal.com/apps/stand-in/main/${ref.appId}`);
    expect(readFileSync(join(ws.root, 'job-runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(6);
    // The exact command lines: volume, bundle, detached run of the generated app file; then polls; then the artifacts.
    const appFile = join(ws.root, 'job-runs', id, 'modal_app.py');
    const seenCalls = calls();
    expect(seenCalls.slice(0, 3)).toEqual([
      ['volume', 'create', DEFAULT_MODAL_VOLUME],
      ['volume', 'put', '--force', DEFAULT_MODAL_VOLUME, bundle, `/jobs/${id}/bundle`],
      ['run', '--detach', appFile],
    ]);
    expect(seenCalls).toContainEqual(['volume', 'get', DEFAULT_MODAL_VOLUME, `/jobs/${id}/out/metrics.jsonl`, '-']);
    expect(seenCalls).toContainEqual(['volume', 'get', DEFAULT_MODAL_VOLUME, `/jobs/${id}/exit`, '-']);
    expect(seenCalls.slice(-3)).toEqual([
      ['volume', 'get', DEFAULT_MODAL_VOLUME, `/jobs/${id}/out/result.json`, '-'],
      ['volume', 'get', DEFAULT_MODAL_VOLUME, `/jobs/${id}/out/export/config.json`, '-'],
      ['volume', 'get', DEFAULT_MODAL_VOLUME, `/jobs/${id}/out/export/model.onnx`, '-'],
    ]);
    expect(readAppSpec(readFileSync(appFile, 'utf8'))).toMatchObject({ gpu: 'L40S', timeoutSeconds: 1800, jobDir: `jobs/${id}`, command: { argv: ['python3', 'bundle/stand_in_trainer.py'] } });
    // The stand-in accepts only an env token here (no config file): the run worked, so the token went by env — and nowhere else.
    for (const s of [secret.tokenId, secret.tokenSecret]) expect(filesHolding(s, ws.root, cloud, bundle)).toEqual([]);
  });

  it('is cancelled with modal app stop: the app shows stopped and nothing of its process group is left', { timeout: 60_000 }, async () => {
    const ws = studio();
    const { jobs, kind, seen } = manager(ws, { tokens: new Map([['me', token()]]) });
    const id = jobs.startKind(kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 400, 100), account: 'me', timeoutMinutes: 30 });
    await until(() => metricSteps(seen.progress).length >= 2, 'two steps');
    const { appId } = appOf(ws, id);
    const pgid = appRecord(appId).pid;
    expect(groupAlive(pgid)).toBe(true);
    jobs.cancel(id);
    const info = await jobs.wait(id);
    expect(info.status).toBe('cancelled');
    expect(calls()).toContainEqual(['app', 'stop', appId]);
    expect(appRecord(appId).state).toBe('stopped');
    const t0 = Date.now();
    while (groupAlive(pgid) && Date.now() - t0 < 10_000) await sleep(100);
    expect(groupAlive(pgid)).toBe(false);
    expect(existsSync(join(jobDir(id), 'exit'))).toBe(false);
    expect(seen.finished).toEqual([`${id}:cancelled`]);
  });

  it('is cancelled mid-upload: the put is stopped and no app is ever started', { timeout: 60_000 }, async () => {
    const ws = studio();
    process.env.MODAL_STAND_IN_PUT_MS = '20000';
    const { jobs, kind, seen } = manager(ws, { tokens: new Map([['me', token()]]) });
    const id = jobs.startKind(kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 3, 10), account: 'me', timeoutMinutes: 30 });
    await until(() => seen.progress.some((m) => m.startsWith('uploading the bundle to Modal: 3 files')), 'the upload to start');
    await until(() => calls().some((c) => c[1] === 'put'), 'the put call');
    jobs.cancel(id);
    const info = await jobs.wait(id);
    expect(info.status).toBe('cancelled');
    expect(row(ws, id).ref).toBeNull();
    expect(calls().map((c) => c.slice(0, 2).join(' '))).toEqual(['volume create', 'volume put']);
    expect(existsSync(join(jobDir(id), 'bundle'))).toBe(false); // the 20 s put was killed, not waited for
  });

  it('re-attaches by app id after the executor was closed: the job continues and finishes exactly once', { timeout: 60_000 }, async () => {
    const ws = studio();
    const tokens = new Map([['me', token()]]);
    const first = manager(ws, { tokens });
    const id = first.jobs.startKind(first.kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 14, 150), account: 'me', timeoutMinutes: 30 });
    await until(() => metricSteps(first.seen.progress).length >= 3, 'three steps');
    await first.jobs.close();
    expect(row(ws, id).status).toBe('running');
    const second = manager(ws, { tokens });
    const info = await second.jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    const all = [...metricSteps(first.seen.progress), ...metricSteps(second.seen.progress)];
    expect(all).toEqual(range(14));
    expect(second.seen.finished).toEqual([`${id}:done`]);
    expect(calls().filter((c) => c[0] === 'run')).toHaveLength(1);
    expect(readFileSync(join(jobDir(id), 'starts.txt'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(ws.root, 'job-runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(14);
  });

  it('survives kill -9 of the studio (CLI logged in on its own): a new JobManager re-attaches by offset and finishes once', { timeout: 90_000 }, async () => {
    const ws = studio();
    writeFileSync(process.env.MODAL_CONFIG_PATH as string, '[default]\n'); // `modal token new` was run: no token from the studio
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 14, 200);
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/modal-job-host.ts'), ws.root, bundle], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    host.stdout.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => host.on('exit', (_c, signal) => res(signal)));
    try {
      await until(() => /"step": 3,/.test(out) || host.exitCode !== null, 'the host to follow three steps', 60_000);
    } finally {
      host.kill('SIGKILL');
    }
    expect(await exited, err + out).toBe('SIGKILL');
    const id = /JOB (\S+)/.exec(out)?.[1] as string;
    const hostSteps = metricSteps([...out.matchAll(/^PROGRESS (.*)$/gm)].map((m) => m[1] as string));
    expect(hostSteps.slice(0, 3)).toEqual([1, 2, 3]);
    expect(row(ws, id).status).toBe('running');
    const { jobs, seen } = manager(ws);
    const info = await jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    // Every step once across both studios (one the dead studio saw past its stored offset may show twice).
    expect([...new Set([...hostSteps, ...metricSteps(seen.progress)])]).toEqual(range(14));
    expect(metricSteps(seen.progress).at(-1)).toBe(14);
    expect(seen.finished).toEqual([`${id}:done`]);
    expect(readFileSync(join(jobDir(id), 'starts.txt'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(ws.root, 'job-runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(14);
  });

  it('fails when an artifact on the volume does not match result.json: sha256 mismatch, nothing registered', { timeout: 60_000 }, async () => {
    const ws = studio();
    const tokens = new Map([['me', token()]]);
    const first = manager(ws, { tokens });
    const id = first.jobs.startKind(first.kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 3, 100), account: 'me', timeoutMinutes: 30 });
    await until(() => row(ws, id).ref !== null, 'the app start');
    await first.jobs.close();
    await until(() => existsSync(join(jobDir(id), 'exit')), 'the job to finish on the stand-in');
    const model = join(jobDir(id), 'out/export/model.onnx');
    const bytes = readFileSync(model);
    bytes[1234] = (bytes[1234] as number) ^ 0xff;
    writeFileSync(model, bytes);
    const second = manager(ws, { tokens });
    const info = await second.jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/artifact export\/model\.onnx failed its sha256 check/);
    expect(info.result).toBeNull();
    expect(existsSync(join(ws.root, 'job-runs', id, 'artifacts'))).toBe(false);
  });

  it('fails with the exit code and the tail of job.log when the command fails in the container', { timeout: 60_000 }, async () => {
    const ws = studio();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 3, 10);
    writeFileSync(join(bundle, 'config.json'), '{}');
    const { jobs, kind } = manager(ws, { tokens: new Map([['me', token()]]) });
    const info = await jobs.wait(jobs.startKind(kind, { bundleDir: bundle, account: 'me', timeoutMinutes: 30 }));
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/^the job exited with code 1: .*KeyError: 'steps'/);
  });

  it('fails with a clear line when its Modal function timeout passes (no exit code on the volume)', { timeout: 60_000 }, async () => {
    const ws = studio();
    const { jobs, kind } = manager(ws, { tokens: new Map([['me', token()]]) });
    const id = jobs.startKind(kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 400, 100), account: 'me', timeoutMinutes: 0.05 });
    const info = await jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/^the Modal app ap-\w+ is stopped and the job wrote no exit code \(its timeout passed, or it was stopped from Modal\)/);
  });

  it('fails with one clear line when the modal CLI is not installed, and when it is not logged in', { timeout: 60_000 }, async () => {
    const ws = studio();
    const missing = manager(ws, { modalBin: join(cloud, 'no-such-dir', 'modal') });
    const a = await missing.jobs.wait(missing.jobs.startKind(missing.kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 2, 10), account: 'me', timeoutMinutes: 30 }));
    expect(a.status).toBe('failed');
    expect(a.error).toBe(`${NOT_INSTALLED} (no ${join(cloud, 'no-such-dir', 'modal')} found)`);
    const loggedOut = manager(ws); // no token for the job, no ~/.modal.toml
    const b = await loggedOut.jobs.wait(loggedOut.jobs.startKind(loggedOut.kind, { bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 2, 10), account: 'me', timeoutMinutes: 30 }));
    expect(b.status).toBe('failed');
    expect(b.error).toBe(NOT_LOGGED_IN);
    expect(calls()).toEqual([['volume', 'create', DEFAULT_MODAL_VOLUME]]);
  });
});
