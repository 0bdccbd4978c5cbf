/**
 * SSH jobs against a real sshd as a separate user: the trainer stand-in runs detached on the host, its metrics stream
 * by offset, artifacts come back sha256-verified; the studio is kill -9'd mid-job and a new one re-attaches and
 * finishes it once; cancel leaves no process of the job's group; a byte flipped on the host fails the checksum.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { eraseKind } from '../../src/main/jobs/job-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { bundleManifest, commandBatches, resumeAt, RESUME_OVERLAP } from '../../src/main/ssh/bundle-upload';
import { addHost } from '../../src/main/ssh/host-store';
import { studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { makeBundle, sshTestKind } from '../fixtures/ssh-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { sleep, until as waitUntil } from '../fixtures/wait-until';
import { REPO_ROOT } from '../support/assets';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';

const skip = sshdUnavailable();
if (skip) console.log(`ssh-jobs tests skipped: ${skip}`);

let sshd: Sshd;
beforeAll(async () => {
  if (!skip) sshd = await startSshd();
});
afterAll(async () => sshd?.stop());
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  cleanupTempDirs();
});

const until = (cond: () => boolean, what: string, ms = 30_000) => waitUntil(cond, what, ms, 25);

interface Studio {
  ws: Workspace;
  hostId: number;
  workDir: string;
}
function studio(): Studio {
  const ws = openWorkspace(makeTempDir('vcs-ws-'));
  cleanups.push(() => ws.close());
  const remote = makeRemoteWorkDir(sshd, `work-${Date.now()}-${Math.floor(Math.random() * 1e6)}`);
  cleanups.push(() => remote.remove());
  trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
  const host = addHost(ws.db, { name: 'test-sshd', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir });
  return { ws, hostId: host.id, workDir: remote.dir };
}

function manager(ws: Workspace) {
  const bus = new StudioEventBus();
  const seen = { progress: [] as string[], finished: [] as string[] };
  bus.on('jobs:progress', (p) => seen.progress.push(p.message));
  bus.on('jobs:changed', (j) => j.status !== 'queued' && j.status !== 'running' && seen.finished.push(`${j.id}:${j.status}`));
  const kind = sshTestKind(ws.db);
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

describe.skipIf(skip)('an SSH job on a real sshd', () => {
  it('uploads the bundle (resuming a partial blob), runs detached, streams metrics by offset, fetches verified artifacts', { timeout: 90_000 }, async () => {
    const s = studio();
    const big = Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => i % 251));
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 6, 100, { 'images.bin': big });
    const sha = createHash('sha256').update(big).digest('hex');
    // An earlier upload stopped after 1 500 000 bytes: only the rest (and the overlap window) travels now.
    const pre = await sshd.sh(`mkdir -p ${s.workDir}/blobs && python3 -c "import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(1500000)))" > ${s.workDir}/blobs/${sha}.part`);
    expect(pre.code, pre.stderr).toBe(0);
    const { jobs, kind, seen } = manager(s.ws);
    const t0 = Date.now();
    const id = jobs.startKind(kind, { hostId: s.hostId, bundleDir: bundle });
    const info = await jobs.wait(id);
    console.log(`ssh job round trip: ${Date.now() - t0} ms`);
    expect(info.status, info.error ?? '').toBe('done');
    const small = ['config.json', 'stand_in_trainer.py', 'train.jsonl'].reduce((n, f) => n + readFileSync(join(bundle, f)).length, 0);
    expect(resumeAt(1_500_000, big.length)).toBeGreaterThan(900_000);
    expect(seen.progress).toContain(`bundle on the host: 4 files, 0 already there, ${small + big.length - resumeAt(1_500_000, big.length)} bytes sent`);
    expect(metricSteps(seen.progress)).toEqual(range(6));
    expect(row(s.ws, id).backend).toBe('ssh');
    expect(row(s.ws, id).logOffset).toBe(Number((await sshd.sh(`stat -c %s ${s.workDir}/jobs/${id}/out/metrics.jsonl`)).stdout.trim()));
    const result = JSON.parse(row(s.ws, id).result as string) as { artifactsDir: string; files: Record<string, string> };
    expect(Object.keys(result.files).sort()).toEqual(['export/config.json', 'export/model.onnx']);
    expect(readFileSync(join(result.artifactsDir, 'export/model.onnx'))).toHaveLength(2_000_000);
    expect(JSON.parse(readFileSync(join(result.artifactsDir, 'export/config.json'), 'utf8'))).toEqual({ model_type: 'lfm2_vl', samples: 16 });
    expect(readFileSync(join(s.ws.root, 'job-runs', id, 'train.log'), 'utf8')).toContain('training done');
    // The work ran as the separate user, in its own home.
    expect((await sshd.sh(`stat -c %U ${s.workDir}/jobs/${id}/out/result.json`)).stdout.trim()).toBe(sshd.user);

    const again = jobs.startKind(kind, { hostId: s.hostId, bundleDir: bundle });
    expect((await jobs.wait(again)).status).toBe('done');
    expect(seen.progress).toContain('bundle on the host: 4 files, 4 already there, 0 bytes sent');
  });

  it('uploads a bundle whose publish and link commands together pass the 128 KiB argument cap of `sh -c` (long paths)', { timeout: 120_000 }, async () => {
    const s = studio();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 1, 10);
    const deep = join('images', ...Array.from({ length: 6 }, (_, i) => `folder-${i}-${'x'.repeat(50)}`));
    mkdirSync(join(bundle, deep), { recursive: true });
    for (let i = 0; i < 200; i++) writeFileSync(join(bundle, deep, `photo-${String(i).padStart(4, '0')}-${'y'.repeat(40)}.jpg`), `image ${i}`);
    const manifest = await bundleManifest(bundle);
    const lines = manifest.map((e) => `h=$(sha256sum < ${s.workDir}/blobs/${e.sha256}.part) ${e.sha256} ${e.sha256} ${e.path} ${s.workDir}/blobs/${e.sha256}`);
    expect(lines.join('\n').length).toBeGreaterThan(128 * 1024);
    expect(commandBatches(lines).every((c) => Buffer.byteLength(c) <= 48 * 1024)).toBe(true);
    const { jobs, kind } = manager(s.ws);
    const id = jobs.startKind(kind, { hostId: s.hostId, bundleDir: bundle });
    const info = await jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    expect((await sshd.sh(`ls ${s.workDir}/jobs/${id}/bundle/${deep} | wc -l; ls ${s.workDir}/blobs | grep -c part; true`)).stdout.trim().split('\n')).toEqual(['200', '0']);
  });

  it('is cancelled mid-upload without starting anything; the next job resumes the partial blob from its size', { timeout: 90_000 }, async () => {
    const s = studio();
    const big = Buffer.alloc(40_000_000, 3);
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 2, 10, { 'images.bin': big });
    const { jobs, kind, seen } = manager(s.ws);
    const id = jobs.startKind(kind, { hostId: s.hostId, bundleDir: bundle });
    await until(() => seen.progress.some((m) => /^uploading the bundle: [1-9]\d{6,} \//.test(m) && Number(m.split(' ')[3]) > 3_000_000), 'three megabytes uploaded');
    jobs.cancel(id);
    const info = await jobs.wait(id);
    expect(info.status).toBe('cancelled');
    expect(row(s.ws, id).ref).toBeNull();
    expect((await sshd.sh(`test -e ${s.workDir}/jobs/${id}/pid && echo started || echo never`)).stdout.trim()).toBe('never');
    const parts = new Map(
      (await sshd.sh(`cd ${s.workDir}/blobs && stat -c '%n %s' *.part`)).stdout.trim().split('\n').map((l) => [l.slice(0, 64), Number(l.split(' ')[1])] as const),
    );
    const bigPart = parts.get(createHash('sha256').update(big).digest('hex')) ?? 0;
    expect(bigPart).toBeGreaterThan(RESUME_OVERLAP); // bytes that reached the host and will not travel again
    expect(bigPart).toBeLessThan(big.length);
    const manifest = await bundleManifest(bundle);
    const again = jobs.startKind(kind, { hostId: s.hostId, bundleDir: bundle });
    expect((await jobs.wait(again)).status).toBe('done');
    const sent = seen.progress.map((m) => /^bundle on the host: 4 files, 0 already there, (\d+) bytes sent$/.exec(m)?.[1]).find(Boolean);
    expect(Number(sent)).toBe(manifest.reduce((n, e) => n + e.size - resumeAt(parts.get(e.sha256) ?? 0, e.size), 0));
  });

  it('survives kill -9 of the studio: a new JobManager re-attaches by offset and the job finishes exactly once', { timeout: 120_000 }, async () => {
    const s = studio();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 14, 250);
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/fixtures/ssh-job-host.ts'), s.ws.root, String(s.hostId), bundle], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    expect(row(s.ws, id).status).toBe('running');
    const { jobs, seen } = manager(s.ws);
    const info = await jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    // Every step once across both studios (a step the dead one saw past its stored offset may show twice at most once).
    const all = [...hostSteps, ...metricSteps(seen.progress)];
    expect([...new Set(all)]).toEqual(range(14));
    expect(metricSteps(seen.progress).at(-1)).toBe(14);
    expect(seen.finished).toEqual([`${id}:done`]);
    expect((await sshd.sh(`cat ${s.workDir}/jobs/${id}/starts.txt | wc -l`)).stdout.trim()).toBe('1');
    expect(readFileSync(join(s.ws.root, 'job-runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(14);
  });

  it('keeps the work running through a dropped SSH connection: the follow reconnects and every step arrives once', { timeout: 90_000 }, async () => {
    const s = studio();
    const { jobs, kind, seen } = manager(s.ws);
    const id = jobs.startKind(kind, { hostId: s.hostId, bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 12, 200) });
    await until(() => metricSteps(seen.progress).length >= 3, 'three steps');
    expect(sshd.dropConnections()).toBeGreaterThan(0);
    const info = await jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    expect(metricSteps(seen.progress)).toEqual(range(12));
    expect((await sshd.sh(`cat ${s.workDir}/jobs/${id}/starts.txt | wc -l`)).stdout.trim()).toBe('1');
  });

  it('is cancelled by killing its remote process group: ps over SSH finds nothing of it left', { timeout: 90_000 }, async () => {
    const s = studio();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 400, 100);
    const first = manager(s.ws);
    const id = first.jobs.startKind(first.kind, { hostId: s.hostId, bundleDir: bundle });
    await until(() => metricSteps(first.seen.progress).length >= 2, 'two steps');
    await first.jobs.close(); // cancel after a re-attach, like after a restart
    const { pgid } = JSON.parse(row(s.ws, id).ref as string) as { pgid: number };
    const group = async () => (await sshd.sh(`ps -eo pgid=,args= | awk '$1 == ${pgid}'`)).stdout.trim();
    expect(await group()).toContain('sleep 600');
    const second = manager(s.ws);
    expect(second.jobs.cancel(id)).toBe(true);
    const info = await second.jobs.wait(id);
    expect(info.status).toBe('cancelled');
    const t0 = Date.now();
    while ((await group()) !== '' && Date.now() - t0 < 10_000) await sleep(200);
    expect(await group()).toBe('');
    expect(second.seen.finished).toEqual([`${id}:cancelled`]);
  });

  it('finished while no studio was open: the next one fetches the artifacts, resuming a partial download from its size', { timeout: 90_000 }, async () => {
    const s = studio();
    const first = manager(s.ws);
    const id = first.jobs.startKind(first.kind, { hostId: s.hostId, bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 3, 50) });
    await until(() => row(s.ws, id).ref !== null, 'the remote start');
    await first.jobs.close();
    const t0 = Date.now();
    while ((await sshd.sh(`test -f ${s.workDir}/jobs/${id}/exit`)).code !== 0 && Date.now() - t0 < 30_000) await sleep(200);
    const model = Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => i % 251));
    const part = join(s.ws.root, 'job-runs', id, 'artifacts.partial', 'export', 'model.onnx.part');
    mkdirSync(dirname(part), { recursive: true });
    writeFileSync(part, model.subarray(0, 1_500_000)); // an earlier fetch stopped here
    const second = manager(s.ws);
    const info = await second.jobs.wait(id);
    expect(info.status, info.error ?? '').toBe('done');
    const config = Number((await sshd.sh(`stat -c %s ${s.workDir}/jobs/${id}/out/export/config.json`)).stdout.trim());
    expect(second.seen.progress).toContain(`fetched 2 / 2 artifacts, ${config + model.length - resumeAt(1_500_000, model.length)} bytes`);
    expect(readFileSync(join(s.ws.root, 'job-runs', id, 'artifacts', 'export', 'model.onnx')).equals(model)).toBe(true);
    expect(metricSteps([...first.seen.progress, ...second.seen.progress])).toEqual(range(3));
  });

  it('fails when an artifact changed on the host after the job: sha256 mismatch, nothing registered', { timeout: 90_000 }, async () => {
    const s = studio();
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 3, 100);
    const first = manager(s.ws);
    const id = first.jobs.startKind(first.kind, { hostId: s.hostId, bundleDir: bundle });
    await until(() => row(s.ws, id).ref !== null, 'the remote start');
    await first.jobs.close();
    const outDir = `${s.workDir}/jobs/${id}/out`;
    const t0 = Date.now();
    while ((await sshd.sh(`test -f ${s.workDir}/jobs/${id}/exit`)).code !== 0 && Date.now() - t0 < 30_000) await sleep(200);
    const flip = await sshd.sh(`printf '\\377' | dd of=${outDir}/export/model.onnx bs=1 seek=1234 conv=notrunc 2>/dev/null && echo ok`);
    expect(flip.stdout.trim(), flip.stderr).toBe('ok');
    const second = manager(s.ws);
    const info = await second.jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/artifact export\/model\.onnx failed its sha256 check/);
    expect(info.result).toBeNull();
    expect(existsSync(join(s.ws.root, 'job-runs', id, 'artifacts'))).toBe(false);
  });
});
