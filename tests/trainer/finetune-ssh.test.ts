/**
 * Fine-tuning the mini VLM on an SSH host, end to end against a real sshd: the separate test user trains with ITS OWN
 * venv (tests/support/remote-python-env.ts) from the uploaded bundle's trainer copy; metrics rows arrive while it
 * runs, the export comes back sha256-verified and is registered (lineage.backend 'ssh'); a studio kill -9'd mid-training
 * is re-attached by the next one and the job finishes exactly once; cancel kills the remote process group.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { listPhases } from '../../src/main/finetunes/finetune-state-store';
import { JobManager } from '../../src/main/jobs/job-manager';
import { listModels } from '../../src/main/models/model-registry';
import { addHost } from '../../src/main/ssh/host-store';
import { studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { finetuneSpecSchema, type FinetuneSpecInput } from '../../src/shared/finetune-types';
import { makeTempDir, cleanupTempDirs } from '../fixtures/temp-dirs';
import { REPO_ROOT } from '../support/assets';
import { ensureRemotePythonEnv } from '../support/remote-python-env';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';
import { ensureMiniVlmBase, makeMiniWorkspace, MINI_SYSTEM, MINI_USER } from './mini-fixtures';

const skip = sshdUnavailable();
if (skip) console.log(`SSH fine-tune tests skipped: ${skip}`);
const ENV = { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2' };

let sshd: Sshd;
let python: string;
let base: string;
const removals: (() => void)[] = [];
beforeAll(async () => {
  if (skip) return;
  sshd = await startSshd();
  [python, base] = await Promise.all([ensureRemotePythonEnv(sshd), ensureMiniVlmBase()]);
});
afterAll(async () => {
  for (const r of removals.splice(0)) r();
  cleanupTempDirs();
  await sshd?.stop();
});

/** A mini-VLM workspace with the test sshd as host #1 (its key trusted, its python the test user's venv). */
async function sshWorkspace(keyPath?: string): Promise<{ root: string; hostId: number; workDir: string }> {
  const root = await makeMiniWorkspace(base);
  removals.push(() => execFileSync('rm', ['-rf', root]));
  const remote = makeRemoteWorkDir(sshd, `ft-${Date.now()}-${Math.floor(Math.random() * 1e6)}`);
  removals.push(() => remote.remove());
  const ws = openWorkspace(root);
  try {
    trustHostKey(studioKnownHostsFile(root), '127.0.0.1', sshd.port, sshd.hostKeyBlob);
    const host = addHost(ws.db, { name: 'test-sshd', host: '127.0.0.1', port: sshd.port, username: sshd.user, keyPath: keyPath ?? sshd.clientKey, workDir: remote.dir, python });
    return { root, hostId: host.id, workDir: remote.dir };
  } finally {
    ws.close();
  }
}

const spec = (hostId: number, hp: FinetuneSpecInput['hyperparams']) =>
  finetuneSpecSchema.parse({ baseModelId: 1, versionId: 1, systemPrompt: MINI_SYSTEM, userPrompt: MINI_USER, backend: { kind: 'ssh', hostId }, evaluate: { enabled: false }, hyperparams: { optim: 'adamw_torch', learning_rate: 3e-3, gradient_accumulation_steps: 1, batch_size: 2, ...hp } });

const steps = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
const phases = (ws: Workspace, id: string) => listPhases(ws.db, id).map((p) => p.phase);

describe.skipIf(skip)('fine-tuning the mini VLM on an SSH host (real sshd, the test user\'s own venv)', () => {
  it('trains remotely with the key\'s passphrase from the callback, streams metrics while running, fetches the verified export and registers it', async () => {
    const key = join(makeTempDir('vcs-key-'), 'enc_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-C', 'vcs-enc', '-f', key]);
    sshd.authorize(readFileSync(`${key}.pub`, 'utf8'));
    const s = await sshWorkspace(key);
    const ws = openWorkspace(s.root);
    const bus = new StudioEventBus();
    const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, sshPassphrase: (id) => (id === s.hostId ? 'open sesame' : undefined) });
    try {
      const whileRunning: { message: string; status: string; rows: number }[] = [];
      let id = '';
      bus.on('jobs:progress', (p) => {
        if (p.jobId !== id || !/^step \d+\/8/.test(p.message)) return;
        const mirror = join(finetuneJobDir(ws.root, id), 'run', 'metrics.jsonl');
        whileRunning.push({ message: p.message, status: jobs.get(id).status, rows: existsSync(mirror) ? steps(mirror).length : 0 });
      });
      id = jobs.start('finetune', spec(s.hostId, { max_steps: 8, logging_steps: 1, eval_steps: 4 }));
      const t0 = Date.now();
      const info = await jobs.wait(id);
      console.log(`SSH mini-VLM fine-tune: ${Date.now() - t0} ms`);
      expect(info.status, info.error ?? '').toBe('done');
      expect(info.kind === 'finetune' && info.result?.steps).toBe(8);
      // Curve rows arrived (mirrored into run/) while the job was still running.
      expect(whileRunning.map((w) => w.message)).toContain('step 1/8 · train_loss ' + whileRunning[0]!.message.split('train_loss ')[1]);
      expect(whileRunning.every((w) => w.status === 'running' && w.rows >= 1)).toBe(true);
      expect(whileRunning.some((w) => w.message.includes('eval_loss'))).toBe(true);
      const run = join(finetuneJobDir(ws.root, id), 'run');
      expect(steps(join(run, 'metrics.jsonl'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(readFileSync(join(run, 'train.log'), 'utf8')).toContain('exported the mini-VLM');
      const model = listModels(ws.db).find((m) => m.provenance.finetune?.jobId === id)!;
      expect(model.path).toBe(join(run, 'artifacts', 'export'));
      expect([model.provenance.finetune!.backend, model.provenance.finetune!.baseModelName, model.architecture]).toEqual(['ssh', 'mini', 'lfm2_vl']);
      expect((JSON.parse(readFileSync(join(model.path, 'config.json'), 'utf8')) as { mini_vlm: { trained_steps: number } }).mini_vlm.trained_steps).toBe(8);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'downloading', 'registering', 'done']);
      expect(ws.db.prepare('SELECT backend FROM jobs WHERE id = ?').pluck(true).get(id)).toBe('ssh');
      // The remote side used its own python and the bundle's trainer copy; it ran as the test user.
      const cmd = (await sshd.sh(`cat ${s.workDir}/jobs/${id}/command.sh`)).stdout;
      expect(cmd).toContain(`'${python}' '-m' 'lfm2vl_trainer' 'mini'`);
      expect(cmd).toContain('cd bundle/trainer');
      expect((await sshd.sh(`stat -c %U ${s.workDir}/jobs/${id}/out/result.json`)).stdout.trim()).toBe(sshd.user);
    } finally {
      await jobs.close();
      ws.close();
    }
  });

  it('a studio kill -9\'d mid-training is re-attached by the next one; the job finishes exactly once', async () => {
    const s = await sshWorkspace();
    const ft = spec(s.hostId, { max_steps: 40, logging_steps: 1, eval_steps: 1000, batch_size: 1 });
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests', 'trainer', 'finetune-host.ts'), s.root, JSON.stringify(ft)], { cwd: REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const jobId = await new Promise<string>((resolve, reject) => {
      host.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const id = /JOB (\S+)/.exec(out)?.[1];
        if (id && /PROGRESS step \d+\/40/.test(out)) resolve(id);
      });
      host.on('exit', () => reject(new Error(`host exited early:\n${out}`)));
    });
    host.kill('SIGKILL');
    await new Promise((r) => host.once('close', r));
    expect((await sshd.sh(`[ -f ${s.workDir}/jobs/${jobId}/exit ] && echo ended || echo running`)).stdout.trim()).toBe('running');

    const ws = openWorkspace(s.root);
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db });
    try {
      const info = await jobs.wait(jobId);
      expect(info.status, info.error ?? '').toBe('done');
      const run = join(finetuneJobDir(ws.root, jobId), 'run');
      const all = Array.from({ length: 40 }, (_, i) => i + 1);
      expect(steps(join(run, 'metrics.jsonl'))).toEqual(all); // the mirror: no row lost or doubled across the re-attach
      expect((await sshd.sh(`cat ${s.workDir}/jobs/${jobId}/out/metrics.jsonl`)).stdout.trim().split('\n')).toHaveLength(40); // one trainer run
      expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === jobId)).toHaveLength(1);
      expect(phases(ws, jobId)).toEqual(['queued', 'uploading', 'running', 'downloading', 'registering', 'done']);
    } finally {
      await jobs.close();
      ws.close();
    }
  });

  it('cancel stops the remote process group: nothing of the job is left on the host and no model is registered', async () => {
    const s = await sshWorkspace();
    const ws = openWorkspace(s.root);
    const bus = new StudioEventBus();
    const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, cancelGraceMs: 10_000 });
    try {
      let id = '';
      const training = new Promise<void>((resolve) => bus.on('jobs:progress', (p) => p.jobId === id && /^step \d+\/400/.test(p.message) && resolve()));
      id = jobs.start('finetune', spec(s.hostId, { max_steps: 400, logging_steps: 1, eval_steps: 1000, batch_size: 1 }));
      await training;
      const pgid = (JSON.parse(ws.db.prepare('SELECT external_ref FROM jobs WHERE id = ?').pluck(true).get(id) as string) as { pgid: number }).pgid;
      expect((await sshd.sh(`ps -o pid= -g ${pgid} | wc -l`)).stdout.trim()).not.toBe('0');
      jobs.cancel(id);
      const info = await jobs.wait(id);
      expect(info.status).toBe('cancelled');
      for (let i = 0; i < 50 && (await sshd.sh(`ps -o pid= -g ${pgid} | wc -l`)).stdout.trim() !== '0'; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await sshd.sh(`ps -o pid=,args= -g ${pgid}`)).stdout.trim()).toBe('');
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['mini']);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'cancelled']);
    } finally {
      await jobs.close();
      ws.close();
    }
  });

  it('a remote trainer killed mid-run fails the job with the last lines of its output (train.log lines and stderr)', async () => {
    const s = await sshWorkspace();
    const ws = openWorkspace(s.root);
    const bus = new StudioEventBus();
    const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
    try {
      let id = '';
      const training = new Promise<void>((resolve) => bus.on('jobs:progress', (p) => p.jobId === id && /^step [2-9]\/400/.test(p.message) && resolve()));
      id = jobs.start('finetune', spec(s.hostId, { max_steps: 400, logging_steps: 1, eval_steps: 1000, batch_size: 1 }));
      await training;
      const pgid = (JSON.parse(ws.db.prepare('SELECT external_ref FROM jobs WHERE id = ?').pluck(true).get(id) as string) as { pgid: number }).pgid;
      expect((await sshd.sh(`pkill -KILL -g ${pgid} -f lfm2vl_trainer && echo killed`)).stdout.trim()).toBe('killed');
      const info = await jobs.wait(id);
      expect(info.status).toBe('failed');
      expect(info.error).toMatch(/^the job exited with code 137:\n/);
      // The tail holds the newest step lines (how far it got before the kill depends on the machine's speed).
      expect(info.error).toMatch(/step=\d+ epoch=[\d.]+ train_loss=/);
      expect(info.error!.split('\n').length).toBeGreaterThanOrEqual(8);
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['mini']);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'failed']);
    } finally {
      await jobs.close();
      ws.close();
    }
  });
});
