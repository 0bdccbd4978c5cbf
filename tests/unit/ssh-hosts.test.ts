/**
 * SSH hosts through the IPC dispatcher against a real sshd: a first probe returns the fingerprint to confirm, trust
 * stores it, a CHANGED host key is refused (probe and job), a closed port fails in one clear line, and a full remote
 * disk (a 2 MB tmpfs as the work dir) fails the upload with 'no space left' and leaves no half-registered job.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore } from '../../src/main/api/studio-core';
import { eraseKind } from '../../src/main/jobs/job-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { addHost } from '../../src/main/ssh/host-store';
import { fingerprint, studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import type { HostKeyProbe, SshHost } from '../../src/shared/ssh-types';
import type { Workspace } from '../../src/main/workspace/workspace';
import { makeBundle, sshTestKind } from '../fixtures/ssh-job-kind';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';

const skip = sshdUnavailable();
if (skip) console.log(`ssh-hosts tests skipped: ${skip}`);

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


function manager(ws: Workspace) {
  const kind = sshTestKind(ws.db);
  const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, extraKinds: [eraseKind(kind)] });
  cleanups.push(() => jobs.close());
  return { jobs, kind };
}

/** ssh-keygen's own fingerprint of a public key file, to check ours against. */
const keygenFingerprint = (pub: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1];

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe.skipIf(skip)('SSH hosts on a real sshd', () => {
  it('hosts:add/list/probe/trust/remove: the first probe returns the fingerprint to confirm; trust stores exactly that key', async () => {
    const ws = tempWorkspace();
    const core = createStudioCore(ws);
    cleanups.push(() => core.jobs.close());
    const call = createDispatcher(core.handlers);
    const host = (await call('hosts:add', { name: 'lab', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: 'work' })) as SshHost;
    await expect(call('hosts:add', { name: 'bad', host: 'x; rm -rf /', username: 'u', keyPath: '/k', workDir: 'w' })).rejects.toMatchObject({ code: 'invalid-args' });
    expect((await call('hosts:list', {})) as SshHost[]).toMatchObject([{ name: 'lab', port: sshd.port, username: sshd.user }]);
    const first = (await call('hosts:probe', { hostId: host.id })) as HostKeyProbe;
    expect(first).toMatchObject({ hostId: host.id, state: 'unknown', keyType: 'ssh-ed25519' });
    expect(first.fingerprint).toBe(fingerprint(sshd.hostKeyBlob));
    expect(first.fingerprint).toBe(keygenFingerprint(`${sshd.knownHosts.replace(/known_hosts$/, 'host_key.pub')}`));
    const wrong = `SHA256:${'A'.repeat(43)}`;
    await expect(call('hosts:trust', { hostId: host.id, fingerprint: wrong })).rejects.toMatchObject({ code: 'conflict' });
    expect(existsSync(studioKnownHostsFile(ws.root))).toBe(false);
    expect(await call('hosts:trust', { hostId: host.id, fingerprint: first.fingerprint })).toMatchObject({ state: 'known' });
    expect(readFileSync(studioKnownHostsFile(ws.root), 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
    expect(await call('hosts:probe', { hostId: host.id })).toMatchObject({ state: 'known' });
    expect(await call('hosts:remove', { hostId: host.id })).toEqual({ removed: true });
    expect(await call('hosts:list', {})).toEqual([]);
  });

  it('refuses a CHANGED host key: probe says so, and a job fails without logging in', async () => {
    const ws = tempWorkspace();
    const other = join(makeTempDir('vcs-key-'), 'other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherBlob = Buffer.from(readFileSync(`${other}.pub`, 'utf8').split(' ')[1] as string, 'base64');
    trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, otherBlob);
    const host = addHost(ws.db, { name: 'lab', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: 'work-never' });
    const core = createStudioCore(ws);
    cleanups.push(() => core.jobs.close());
    expect(await createDispatcher(core.handlers)('hosts:probe', { hostId: host.id })).toMatchObject({ state: 'changed' });
    const { jobs, kind } = manager(ws);
    const info = await jobs.wait(jobs.startKind(kind, { hostId: host.id, bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 1, 0) }));
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/host key of 127\.0\.0\.1:\d+ has CHANGED \(now SHA256:/);
    expect((await sshd.sh(`test -e ${sshd.home}/work-never && echo there || echo absent`)).stdout.trim()).toBe('absent');
  });

  it('fails on an unreachable host (closed port) with one clear line', async () => {
    const ws = tempWorkspace();
    const port = await closedPort();
    const host = addHost(ws.db, { name: 'down', host: '127.0.0.1', port, username: sshd.user, keyPath: sshd.clientKey, workDir: 'w' });
    const { jobs, kind } = manager(ws);
    const t0 = Date.now();
    const info = await jobs.wait(jobs.startKind(kind, { hostId: host.id, bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 1, 0) }));
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(info.status).toBe('failed');
    expect(info.error).toBe(`cannot reach SSH host ${sshd.user}@127.0.0.1:${port}: connection refused`);
  });

  it('re-attaching to a host that stays unreachable fails the job after the retry window, saying the work may still run', { timeout: 60_000 }, async () => {
    const ws = tempWorkspace();
    const remote = makeRemoteWorkDir(sshd, `gone-${Date.now()}`);
    cleanups.push(() => remote.remove());
    trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
    const host = addHost(ws.db, { name: 'gone', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir });
    const first = manager(ws);
    const id = first.jobs.startKind(first.kind, { hostId: host.id, bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 200, 100) });
    const ref = () => (ws.db.prepare('SELECT external_ref AS ref FROM jobs WHERE id = ?').get(id) as { ref: string | null }).ref;
    for (let t0 = Date.now(); ref() === null && Date.now() - t0 < 30_000; ) await new Promise((r) => setTimeout(r, 50));
    await first.jobs.close();
    const stored = JSON.parse(ref() as string) as { host: { port: number }; pgid: number };
    cleanups.push(async () => void (await sshd.sh(`kill -s KILL -- -${stored.pgid}`)));
    const port = await closedPort(); // the host is gone when the studio starts again
    ws.db.prepare('UPDATE jobs SET external_ref = ? WHERE id = ?').run(JSON.stringify({ ...stored, host: { ...stored.host, port } }), id);
    const kind = sshTestKind(ws.db, new Map(), 1_000);
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, extraKinds: [eraseKind(kind)] });
    cleanups.push(() => jobs.close());
    const info = await jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toBe(`lost the SSH host 127.0.0.1:${port} (cannot reach SSH host ${sshd.user}@127.0.0.1:${port}: connection refused); the job may still run there`);
    expect((await sshd.sh(`kill -s 0 -- -${stored.pgid} && echo alive`)).stdout.trim()).toBe('alive');
  });

  it("fails the upload to a full remote disk with 'no space left' and leaves no half-registered job", { timeout: 60_000 }, async () => {
    const ws = tempWorkspace();
    const remote = makeRemoteWorkDir(sshd, `full-${Date.now()}`, '2m');
    cleanups.push(() => remote.remove());
    trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
    const host = addHost(ws.db, { name: 'full', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir });
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 1, 0, { 'images.bin': Buffer.alloc(3_000_000, 7) });
    const { jobs, kind } = manager(ws);
    const id = jobs.startKind(kind, { hostId: host.id, bundleDir: bundle });
    const info = await jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/^no space left on the host's work dir .*: the bundle needs 3\.\d MB more, [\d.]+ MB free$/);
    expect(info.result).toBeNull();
    const row = ws.db.prepare('SELECT external_ref AS ref, result_json AS result FROM jobs WHERE id = ?').get(id) as { ref: string | null; result: string | null };
    expect(row).toEqual({ ref: null, result: null });
    expect((await sshd.sh(`ls ${remote.dir}/jobs 2>/dev/null | wc -l`)).stdout.trim()).toBe('0');
    expect(existsSync(join(ws.root, 'job-runs', id, 'artifacts'))).toBe(false);
    const df = await sshd.sh(`df -Pk ${remote.dir} | tail -1`);
    expect(df.stdout).toMatch(/tmpfs\s+2048\s/);
  });

  it("fails mid-upload when the disk fills (the free-space check passed: small files take whole pages) with 'no space left'", { timeout: 90_000 }, async () => {
    const ws = tempWorkspace();
    const remote = makeRemoteWorkDir(sshd, `fill-${Date.now()}`, '2m');
    cleanups.push(() => remote.remove());
    trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
    const host = addHost(ws.db, { name: 'fill', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: sshd.clientKey, workDir: remote.dir });
    // 300 files of 4097 bytes: 1.2 MB of content, but two 4 KiB pages each on tmpfs (2.4 MB).
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`img-${i}.bin`, Buffer.alloc(4097, i % 256).fill(i >> 8, 0, 1)]));
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 1, 0, files);
    const { jobs, kind } = manager(ws);
    const id = jobs.startKind(kind, { hostId: host.id, bundleDir: bundle });
    const info = await jobs.wait(id);
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/^no space left on the host's work dir .* while uploading img-\d+\.bin \([\d.]+ MB free\)$/);
    const row = ws.db.prepare('SELECT external_ref AS ref, result_json AS result FROM jobs WHERE id = ?').get(id) as { ref: string | null; result: string | null };
    expect(row).toEqual({ ref: null, result: null });
    expect((await sshd.sh(`ls ${remote.dir}/jobs 2>/dev/null | wc -l`)).stdout.trim()).toBe('0');
  });

  it('takes a key passphrase per job from memory: without it the job fails clearly; with it the job runs, and it is stored nowhere', { timeout: 60_000 }, async () => {
    const ws = tempWorkspace();
    const secret = `pass-${Math.random().toString(36).slice(2)}-phrase`;
    const key = join(makeTempDir('vcs-key-'), 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', secret, '-f', key]);
    sshd.authorize(readFileSync(`${key}.pub`, 'utf8'));
    const remote = makeRemoteWorkDir(sshd, `pass-${Date.now()}`);
    cleanups.push(() => remote.remove());
    trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
    const host = addHost(ws.db, { name: 'locked', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: key, workDir: remote.dir });
    const bundle = makeBundle(makeTempDir('vcs-bundle-'), 2, 50);
    const bare = manager(ws);
    const refused = await bare.jobs.wait(bare.jobs.startKind(bare.kind, { hostId: host.id, bundleDir: bundle }));
    expect([refused.status, refused.error]).toEqual(['failed', `the SSH key ${key} is encrypted: its passphrase is needed`]);
    const kind = sshTestKind(ws.db, new Map([[host.id, secret]]));
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, extraKinds: [eraseKind(kind)] });
    cleanups.push(() => jobs.close());
    const info = await jobs.wait(jobs.startKind(kind, { hostId: host.id, bundleDir: bundle }));
    expect(info.status, info.error ?? '').toBe('done');
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    const local = spawnSync('grep', ['-rlF', secret, ws.root], { encoding: 'utf8' });
    expect([local.status, local.stdout]).toEqual([1, '']); // grep: 1 = searched everything, found nothing
    expect((await sshd.sh(`grep -rlF ${secret} ${remote.dir} | wc -l`)).stdout.trim()).toBe('0');
  });
});
