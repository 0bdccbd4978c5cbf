/**
 * Secrets end to end in a real studio child process: the Hub token and an SSH key passphrase (unique random markers) are
 * set through secrets:set, a model download against a real HTTP fake Hub that demands the bearer token and an SSH job with
 * an encrypted key against a real sshd both succeed, and then no file under the workspace, job folders, user-data dir
 * (HOME, XDG dirs, the keychain's own files), logs or the remote work dir holds the markers — plain, hex or base64.
 * Runs against a real Secret Service (gnome-keyring under dbus-run-session) and on the no-keychain path (memory only).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { eraseKind } from '../../src/main/jobs/job-kind';
import { JobManager } from '../../src/main/jobs/job-manager';
import { addHost } from '../../src/main/ssh/host-store';
import { studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import { sshPassphraseName, type SecretsStatus } from '../../src/shared/secret-names';
import { makeBundle, sshTestKind } from '../fixtures/ssh-job-kind';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';
import { REPO_ROOT } from '../support/assets';
import { startFakeHub, type FakeHub } from '../support/fake-hub-server';
import { writeTinyLfmRepo } from '../support/fake-model-folder';
import { countFiles, scanForSecret } from '../support/secret-scan';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';
import { secretServiceUnavailable } from '../support/secret-service';

const noSshd = sshdUnavailable();
if (noSshd) console.log(`secrets-jobs tests skipped: ${noSshd}`);
const noKeyring = secretServiceUnavailable();
if (noKeyring) console.log(`secrets-jobs keyring test skipped: ${noKeyring}`);

const REPO = 'acme/gated-vlm';
let sshd: Sshd;
let hub: FakeHub;
const hfToken = `hf_${randomBytes(18).toString('hex')}`;
beforeAll(async () => {
  if (noSshd) return;
  sshd = await startSshd();
  const repoDir = makeTempDir('vcs-gated-repo-');
  writeTinyLfmRepo(repoDir);
  hub = await startFakeHub({ repoId: REPO, dir: repoDir, token: hfToken });
});
afterAll(async () => {
  await hub?.close();
  await sshd?.stop();
});
afterEach(() => cleanupTempDirs());

interface ChildRun {
  code: number | null;
  log: string;
}

/** Runs the studio child with the secrets on stdin; under the keyring, inside a fresh D-Bus session with an unlocked gnome-keyring. */
function runChild(backend: 'keyring' | 'memory', cfg: object, secrets: object, env: NodeJS.ProcessEnv, service: string): Promise<ChildRun> {
  const node = `${JSON.stringify(process.execPath)} --import tsx tests/fixtures/secrets-job-child.ts "$CFG"`;
  const script =
    backend === 'keyring'
      ? `printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90
${node}; rc=$?
printf 'KEYCHAIN_HF_SHA256 %s\\n' "$(secret-tool lookup service "$SVC" username hf-token | sha256sum | cut -d' ' -f1)"
exit $rc`
      : node;
  const argv = backend === 'keyring' ? ['dbus-run-session', '--', 'sh', '-c', script] : ['sh', '-c', script];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: REPO_ROOT, env: { ...env, CFG: JSON.stringify(cfg), SVC: service, KEYRING_PW: 'keyring-login' } });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, log }));
    child.stdin.end(JSON.stringify(secrets));
  });
}

async function runScenario(backend: 'keyring' | 'memory') {
  const passphrase = `pp-${randomBytes(16).toString('hex')}-marker`;
  const home = makeTempDir('vcs-userdata-');
  const runtimeDir = join(home, 'run');
  mkdirSync(runtimeDir, { mode: 0o700 });
  chmodSync(runtimeDir, 0o700);
  const workspace = join(home, 'workspace');
  const logs = makeTempDir('vcs-logs-');
  const keyDir = makeTempDir('vcs-key-');
  const key = join(keyDir, 'locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key]);
  sshd.authorize(readFileSync(`${key}.pub`, 'utf8'));
  const remote = makeRemoteWorkDir(sshd, `secrets-${backend}-${Date.now()}`);
  const service = `vcs-test-${randomBytes(4).toString('hex')}`;
  // A clean environment: no STUDIO_SECRET_* (the values must come from the store) and, off the keyring, no D-Bus at all.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), XDG_RUNTIME_DIR: runtimeDir, TMPDIR: join(home, 'tmp') };
  mkdirSync(env.TMPDIR as string);
  const cfg = {
    backend,
    service,
    workspace,
    hub: { endpoint: hub.endpoint, repoId: REPO },
    ssh: { port: sshd.port, user: sshd.user, keyPath: key, workDir: remote.dir, hostKey: sshd.hostKeyBlob.toString('base64'), bundleDir: makeBundle(makeTempDir('vcs-bundle-'), 2, 30) },
  };
  const requestsBefore = hub.requests.length;
  const run = await runChild(backend, cfg, { hfToken, passphrase }, env, service);
  writeFileSync(join(logs, 'studio.log'), run.log);
  try {
    expect(run.code, run.log.slice(-3000)).toBe(0);
    const result = JSON.parse(/^RESULT (.*)$/m.exec(run.log)?.[1] ?? 'null') as { before: SecretsStatus; after: SecretsStatus; download: string; downloadError: string | null; ssh: string; sshError: string | null; hostId: number };
    expect([result.download, result.downloadError]).toEqual(['done', null]);
    expect([result.ssh, result.sshError]).toEqual(['done', null]);
    // Every Hub request of this run carried the token from the store as a bearer header.
    const mine = hub.requests.slice(requestsBefore);
    expect(mine.length).toBeGreaterThan(3);
    expect(mine.every((r) => r.authorization === `Bearer ${hfToken}`)).toBe(true);
    const source = backend === 'keyring' ? 'keychain' : 'memory';
    expect(result.before.set).toEqual([]);
    expect(result.after.set).toEqual([
      { name: 'hf-token', source },
      { name: `ssh-passphrase:${result.hostId}`, source },
    ]);
    expect([result.after.backend, result.after.keychain]).toEqual(backend === 'keyring' ? ['os-keyring', true] : ['environment', false]);
    if (backend === 'memory') expect(result.after.reason).toBe('asked for no keychain');
    if (backend === 'keyring') {
      // The value really sits in the Secret Service (read back by libsecret's own secret-tool, compared by hash).
      expect(/^KEYCHAIN_HF_SHA256 (\w+)$/m.exec(run.log)?.[1]).toBe(createHash('sha256').update(hfToken).digest('hex'));
    }
    const roots = [home, workspace, join(workspace, 'job-runs'), logs, keyDir];
    expect(countFiles(roots)).toBeGreaterThan(10);
    for (const secret of [hfToken, passphrase]) expect(scanForSecret(roots, secret)).toEqual([]);
    const remoteHits = await sshd.sh(`grep -rlF -e '${hfToken}' -e '${passphrase}' ${remote.dir} | wc -l`);
    expect(remoteHits.stdout.trim()).toBe('0');
    return { home, files: countFiles(roots) };
  } finally {
    remote.remove();
  }
}

describe.skipIf(noSshd)('secrets used by jobs and found nowhere on disk', () => {
  it('the scanner finds a planted marker in every encoding (so an empty scan means something)', () => {
    const dir = makeTempDir('vcs-scan-');
    const marker = `m-${randomBytes(8).toString('hex')}`;
    writeFileSync(join(dir, 'plain'), `x${marker}y`);
    writeFileSync(join(dir, 'hex'), Buffer.from(marker).toString('hex').toUpperCase());
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `b64-${i}`), Buffer.from(`${'ab'.slice(0, i)}${marker}!`).toString('base64'));
    writeFileSync(join(dir, 'clean'), 'nothing here');
    const hits = scanForSecret([dir], marker).map((h) => h.split(':')[0].split('/').at(-1));
    expect([...new Set(hits)].sort()).toEqual(['b64-0', 'b64-1', 'b64-2', 'hex', 'plain']);
  });

  it.skipIf(Boolean(noKeyring))('with the OS keyring (gnome-keyring Secret Service over D-Bus): token and passphrase used, stored only in the keychain', { timeout: 120_000 }, async () => {
    const { home } = await runScenario('keyring');
    // gnome-keyring kept its (encrypted) keyring file in the scanned user-data dir: the scan covered the keychain's own storage.
    expect(spawnSync('sh', ['-c', `ls ${join(home, 'data', 'keyrings')}/*.keyring`]).status).toBe(0);
  });

  it('with no keychain (memory only): token and passphrase used, written nowhere', { timeout: 120_000 }, async () => {
    await runScenario('memory');
  });

  it('values given with one job are used from memory (SSH passphrase, Hub token) and nothing without them', { timeout: 120_000 }, async () => {
    const ws = tempWorkspace();
    const passphrase = `pj-${randomBytes(12).toString('hex')}`;
    const key = join(makeTempDir('vcs-key-'), 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key]);
    sshd.authorize(readFileSync(`${key}.pub`, 'utf8'));
    const remote = makeRemoteWorkDir(sshd, `perjob-${Date.now()}`);
    try {
      trustHostKey(studioKnownHostsFile(ws.root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
      const host = addHost(ws.db, { name: 'per-job', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: key, workDir: remote.dir });
      const kind = sshTestKind(ws.db); // no passphrase of its own: the executor asks the job's secret
      const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db, extraKinds: [eraseKind(kind)], secret: () => undefined });
      try {
        const bundle = makeBundle(makeTempDir('vcs-bundle-'), 2, 30);
        const without = await jobs.wait(jobs.startKind(kind, { hostId: host.id, bundleDir: bundle }));
        expect([without.status, without.error]).toEqual(['failed', `the SSH key ${key} is encrypted: its passphrase is needed`]);
        const withIt = await jobs.wait(jobs.startKind(kind, { hostId: host.id, bundleDir: bundle }, new Map([[sshPassphraseName(host.id), passphrase]])));
        expect(withIt.status, withIt.error ?? '').toBe('done');

        const download = { repoId: REPO, dtype: 'q4' as const, revision: 'main', endpoint: hub.endpoint };
        const refused = await jobs.wait(jobs.start('model-download', download));
        expect(refused.status).toBe('failed');
        expect(refused.error).toMatch(/HTTP 401/);
        const fetched = await jobs.wait(jobs.start('model-download', download, new Map([['hf-token', hfToken]])));
        expect(fetched.status, fetched.error ?? '').toBe('done');
      } finally {
        await jobs.close();
      }
      ws.db.pragma('wal_checkpoint(TRUNCATE)');
      for (const secret of [hfToken, passphrase]) expect(scanForSecret([ws.root], secret)).toEqual([]);
    } finally {
      remote.remove();
    }
  });
});
