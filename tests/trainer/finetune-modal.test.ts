/**
 * Fine-tuning the mini VLM on the 'modal' backend through the STAND-IN modal CLI (tests/support/modal-stand-in.mjs;
 * Modal's cloud cannot exist here): the real Python trainer runs detached against a local folder acting as the volume
 * (`python` on its PATH is the trainer venv, as the Modal image would hold it). The job uploads the studio-prepared
 * bundle, trains with the spec's GPU and timeout in the app file, mirrors metrics, train.log and checkpoints into run/,
 * fetches the verified export and registers it with lineage.backend 'modal'; the token from the secrets store reaches
 * only the CLI's environment (a random marker is in no file); without one the CLI's own login is used and said so;
 * cancel stops the app and its process group.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { MODAL_CLI_LOGIN } from '../../src/main/finetunes/finetune-modal';
import { listPhases } from '../../src/main/finetunes/finetune-state-store';
import { JobManager } from '../../src/main/jobs/job-manager';
import { readAppSpec } from '../../src/main/modal/modal-app-file';
import { NOT_LOGGED_IN } from '../../src/main/modal/modal-cli';
import { DEFAULT_MODAL_VOLUME } from '../../src/main/modal/modal-executor';
import { listModels } from '../../src/main/models/model-registry';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { finetuneSpecSchema, type FinetuneSpecInput } from '../../src/shared/finetune-types';
import type { SecretName } from '../../src/shared/secret-names';
import { MODAL_STAND_IN } from '../fixtures/modal-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { ensureMiniVlmBase, makeMiniWorkspace, MINI_SYSTEM, MINI_USER } from './mini-fixtures';
import { trainerPython } from './python';

let base: string;
let cloud: string;
const roots: string[] = [];
const saved = { PATH: process.env.PATH, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS, MKL_NUM_THREADS: process.env.MKL_NUM_THREADS };
beforeAll(async () => {
  base = await ensureMiniVlmBase();
  // `modal` is the stand-in CLI; `python` is what the Modal image would hold (here the trainer venv). 2 CPU threads.
  const bin = makeTempDir('vcs-modal-bin-');
  symlinkSync(MODAL_STAND_IN, join(bin, 'modal'));
  // A script, not a link: a venv's python finds its site-packages from where it is called.
  writeFileSync(join(bin, 'python'), `#!/bin/sh\nexec '${trainerPython()}' "$@"\n`, { mode: 0o755 });
  process.env.PATH = `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  process.env.OMP_NUM_THREADS = '2';
  process.env.MKL_NUM_THREADS = '2';
});
beforeEach(() => {
  cloud = makeTempDir('vcs-modal-cloud-');
  process.env.MODAL_STAND_IN_ROOT = cloud;
  process.env.MODAL_CONFIG_PATH = join(cloud, 'modal.toml');
});
afterEach(() => {
  delete process.env.MODAL_STAND_IN_ROOT;
  delete process.env.MODAL_CONFIG_PATH;
});
afterAll(() => {
  Object.assign(process.env, saved);
  for (const r of roots) execFileSync('rm', ['-rf', r]);
  cleanupTempDirs();
});

const spec = (hp: FinetuneSpecInput['hyperparams']) =>
  finetuneSpecSchema.parse({
    baseModelId: 1,
    versionId: 1,
    systemPrompt: MINI_SYSTEM,
    userPrompt: MINI_USER,
    backend: { kind: 'modal', gpu: 'A10G', timeoutMinutes: 30 },
    evaluate: { enabled: false },
    hyperparams: { optim: 'adamw_torch', learning_rate: 3e-3, gradient_accumulation_steps: 1, batch_size: 2, ...hp },
  });
const steps = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
const phases = (ws: Workspace, id: string) => listPhases(ws.db, id).map((p) => p.phase);
const calls = (): string[][] => readFileSync(join(cloud, 'calls.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);

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

async function withStudio<T>(secrets: Partial<Record<SecretName, string>>, fn: (ws: Workspace, jobs: JobManager, bus: StudioEventBus) => Promise<T>): Promise<T> {
  const root = await makeMiniWorkspace(base);
  roots.push(root);
  const ws = openWorkspace(root);
  const bus = new StudioEventBus();
  const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db, modalPollMs: 200, cancelGraceMs: 10_000, secret: (name) => secrets[name] });
  try {
    return await fn(ws, jobs, bus);
  } finally {
    await jobs.close();
    ws.close();
  }
}

describe("fine-tuning the mini VLM on the 'modal' backend (stand-in modal CLI, real trainer)", () => {
  it('trains on the volume with the spec\'s GPU and timeout, mirrors metrics/log/checkpoints, registers with backend modal; the token is in no file', async () => {
    const token = { 'modal-token-id': `ak-${randomBytes(12).toString('hex')}`, 'modal-token-secret': `as-${randomBytes(16).toString('hex')}` } as const;
    await withStudio(token, async (ws, jobs, bus) => {
      const messages: string[] = [];
      let id = '';
      bus.on('jobs:progress', (p) => p.jobId === id && messages.push(p.message));
      id = jobs.start('finetune', spec({ max_steps: 4, logging_steps: 1, eval_steps: 2 }));
      const t0 = Date.now();
      const info = await jobs.wait(id);
      console.log(`Modal (stand-in) mini-VLM fine-tune: ${Date.now() - t0} ms`);
      expect(info.status, info.error ?? '').toBe('done');
      expect(info.kind === 'finetune' && info.result?.steps).toBe(4);
      expect(messages.filter((m) => /^step \d\/4 · train_loss/.test(m)).length).toBeGreaterThanOrEqual(1);
      expect(messages).not.toContain(MODAL_CLI_LOGIN);
      const run = join(finetuneJobDir(ws.root, id), 'run');
      expect(steps(join(run, 'metrics.jsonl'))).toEqual([1, 2, 3, 4]);
      expect(readFileSync(join(run, 'train.log'), 'utf8')).toContain('exported the mini-VLM');
      // Checkpoints: the run's mirror holds exactly the complete step-N folders left on the volume (none while the
      // trainer does not write them yet; the mirroring itself is tested in tests/unit/modal-dir-pull.test.ts).
      const onVolume = join(cloud, 'volumes', DEFAULT_MODAL_VOLUME, 'jobs', id, 'out', 'checkpoints');
      const stepDirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^step-\d+$/.test(n)).sort() : []);
      expect(stepDirs(join(run, 'checkpoints'))).toEqual(stepDirs(onVolume));
      expect(calls()).toContainEqual(['volume', 'ls', '--json', DEFAULT_MODAL_VOLUME, `/jobs/${id}/out/checkpoints`]);
      const model = listModels(ws.db).find((m) => m.provenance.finetune?.jobId === id)!;
      expect(model.path).toBe(join(run, 'artifacts', 'export'));
      expect([model.provenance.finetune!.backend, model.provenance.finetune!.baseModelName]).toEqual(['modal', 'mini']);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'downloading', 'registering', 'done']);
      expect(ws.db.prepare('SELECT backend FROM jobs WHERE id = ?').pluck(true).get(id)).toBe('modal');
      // The app file asks for the spec's GPU and timeout and runs the mini trainer from the uploaded bundle.
      const app = readAppSpec(readFileSync(join(run, 'modal_app.py'), 'utf8'));
      expect(app).toMatchObject({ gpu: 'A10G', timeoutSeconds: 1800, jobDir: `jobs/${id}` });
      expect(app.command.argv.slice(0, 4)).toEqual(['python', '-m', 'lfm2vl_trainer', 'mini']);
      expect(calls().slice(0, 2)).toEqual([
        ['volume', 'create', DEFAULT_MODAL_VOLUME],
        ['volume', 'put', '--force', DEFAULT_MODAL_VOLUME, join(finetuneJobDir(ws.root, id), 'bundle'), `/jobs/${id}/bundle`],
      ]);
      // No login file exists: the runs worked because the token went by the CLI's environment — and nowhere else.
      expect(existsSync(join(cloud, 'modal.toml'))).toBe(false);
      for (const s of Object.values(token)) expect(filesHolding(s, ws.root, cloud)).toEqual([]);
    });
  });

  it("without a token the CLI's own login is used (said in the job's messages); cancel stops the app and its process group", async () => {
    writeFileSync(join(cloud, 'modal.toml'), '[stand-in]\ntoken_id = "from-login"\n');
    await withStudio({}, async (ws, jobs, bus) => {
      const messages: string[] = [];
      let id = '';
      const training = new Promise<void>((resolve) =>
        bus.on('jobs:progress', (p) => {
          if (p.jobId !== id) return;
          messages.push(p.message);
          if (/^step \d+\/400/.test(p.message)) resolve();
        }),
      );
      id = jobs.start('finetune', spec({ max_steps: 400, logging_steps: 1, eval_steps: 1000, batch_size: 1 }));
      // A job that ends before its first step fails the test with its error instead of waiting forever.
      await Promise.race([training, jobs.wait(id).then((i) => Promise.reject(new Error(`the job ended before training: ${i.status} ${i.error ?? ''}`)))]);
      expect(messages).toContain(MODAL_CLI_LOGIN);
      expect(listPhases(ws.db, id).find((p) => p.phase === 'uploading')?.detail).toContain("the modal CLI's own login");
      const { appId } = JSON.parse(ws.db.prepare('SELECT external_ref FROM jobs WHERE id = ?').pluck(true).get(id) as string) as { appId: string };
      const pgid = (JSON.parse(readFileSync(join(cloud, 'apps', `${appId}.json`), 'utf8')) as { pid: number }).pid;
      const groupAlive = () => {
        try {
          process.kill(-pgid, 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(groupAlive()).toBe(true);
      jobs.cancel(id);
      const info = await jobs.wait(id);
      expect(info.status).toBe('cancelled');
      expect(calls()).toContainEqual(['app', 'stop', appId]);
      for (let i = 0; i < 100 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(groupAlive()).toBe(false);
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['mini']);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'cancelled']);
    });
  });

  it('with neither a token nor a login the job fails with the one clear line, after preparing', async () => {
    await withStudio({}, async (ws, jobs) => {
      const id = jobs.start('finetune', spec({ max_steps: 2 }));
      const info = await jobs.wait(id);
      expect(info.status).toBe('failed');
      expect(info.error).toContain(NOT_LOGGED_IN);
      expect(existsSync(join(finetuneJobDir(ws.root, id), 'bundle', 'bundle-manifest.json'))).toBe(true);
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['mini']);
    });
  });
});
