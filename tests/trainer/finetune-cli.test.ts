/** End to end on the tiny LFM2-VL fixture: `studio finetune` (seeds' YAML) trains in a detached process, registers the export with lineage, and the studio loads it; a killed studio re-attaches and the work finishes once. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { verifyBundle } from '../../src/main/finetunes/finetune-bundle';
import { loraTargetsFor } from '../../src/main/finetunes/lora-targets';
import { runImport } from '../../src/main/imports/import-runner';
import { decodeConstrained } from '../../src/main/inference/vlm/decode-constrained';
import { loadVlm } from '../../src/main/inference/vlm/load-vlm';
import { JobManager } from '../../src/main/jobs/job-manager';
import { listModels, registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { SEED_LORA_TARGETS, finetuneSpecSchema } from '../../src/shared/finetune-types';
import { copyPetsSpread, onePetPhoto } from '../fixtures/real-photos';
import { REPO_ROOT } from '../support/assets';
import { ensureTinyRegistrableBase, PETS_SYSTEM, PETS_USER } from './fixtures';

const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const ENV = { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2' };

/** The seeds' keys (dataset ones are moot here) with a handful of steps. */
const YAML = `seed: 23
model_name: LiquidAI/LFM2-VL-450M
dataset_name: Paulescu/cats_vs_dogs
train_split_ratio: 0.9
label_mapping:
  0: "cat"
  1: "dog"
system_prompt: ${PETS_SYSTEM}
user_prompt: ${PETS_USER}
learning_rate: 5e-3
max_steps: 3
gradient_accumulation_steps: 1
logging_steps: 1
eval_steps: 2
`;

/** A workspace with 2 cats + 2 dogs (train/val), snapshot v1, and the tiny base registered as "tiny-base". */
async function makeWorkspace(base: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'vcs-ft-ws-'));
  const src = mkdtempSync(join(tmpdir(), 'vcs-ft-src-'));
  const ws = openWorkspace(root);
  try {
    copyPetsSpread(src, 2);
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'pets' }, {});
    assignSplits(ws.db, { datasetId: report.datasetId, seed: 7, ratios: { train: 0.5, val: 0.5, test: 0 } });
    createVersion(ws.db, report.datasetId, 'v1');
    await registerModel(ws.db, base, { name: 'tiny-base' });
  } finally {
    ws.close();
    rmSync(src, { recursive: true, force: true });
  }
  return root;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, ...args], { cwd: REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('studio finetune (local process backend) on the tiny LFM2-VL fixture', () => {
  let base: string;
  beforeAll(async () => {
    base = await ensureTinyRegistrableBase();
  });

  it('trains from the seeds\' YAML, prints progress, registers the export with lineage, and the studio loads it', async () => {
    const root = await makeWorkspace(base);
    writeFileSync(join(root, 'ft.yaml'), YAML);
    const r = await run(['src/main/cli/index.ts', 'finetune', '--config', join(root, 'ft.yaml'), '--workspace', root, '--base', 'tiny-base', '--dataset', 'pets', '--name', 'tiny-pets']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain("moot: train_split_ratio — the snapshot's splits decide this");
    expect(r.stderr).toContain('2 train / 2 val samples; labels cat, dog');
    expect(r.stdout).toMatch(/\] step 1\/3 · train_loss [\d.]+/);
    expect(r.stdout).toMatch(/\] step 2\/3 · train_loss [\d.]+ · eval_loss [\d.]+/);
    expect(r.stdout).toMatch(/registered model #2 "tiny-pets"/);

    const ws = openWorkspace(root);
    try {
      const model = listModels(ws.db).find((m) => m.name === 'tiny-pets');
      expect(model?.provenance.source).toBe('finetune');
      const lineage = model!.provenance.finetune!;
      expect([lineage.baseModelName, lineage.datasetName, lineage.versionName, lineage.backend, lineage.optimizer]).toEqual(['tiny-base', 'pets', 'v1', 'process', 'adamw_torch']);
      expect([lineage.systemPrompt, lineage.userPrompt, lineage.labels, lineage.hyperparams.max_steps]).toEqual([PETS_SYSTEM, PETS_USER, ['cat', 'dog'], 3]);
      expect(ws.db.prepare('SELECT base_model_id, finetune_job_id FROM models WHERE id = ?').get(model!.id)).toEqual({ base_model_id: 1, finetune_job_id: lineage.jobId });
      const job = ws.db.prepare('SELECT status, backend, owner_kind, owner_id, result_json FROM jobs WHERE id = ?').get(lineage.jobId) as Record<string, string | number>;
      expect([job.status, job.backend, job.owner_kind, job.owner_id]).toEqual(['done', 'process', 'model', 1]);
      expect(JSON.parse(job.result_json as string)).toMatchObject({ modelId: model!.id, steps: 3, optimizer: 'adamw_torch' });
      const dir = finetuneJobDir(root, lineage.jobId);
      expect(await verifyBundle(join(dir, 'bundle'))).toEqual({ ok: true, problems: [] });
      // The studio's own preview of the wrapped modules agrees with what the trainer wrapped.
      const log = readFileSync(join(dir, 'run', 'train.log'), 'utf8');
      expect(log).toContain(`LoRA wraps ${loraTargetsFor(base, [...SEED_LORA_TARGETS], true).wrapped} modules`);
      const handle = await loadVlm({ modelDir: model!.path });
      try {
        const answer = await decodeConstrained(handle, onePetPhoto('cats'), { system: PETS_SYSTEM, user: PETS_USER, labels: ['cat', 'dog'] });
        expect(['cat', 'dog']).toContain(answer.label);
      } finally {
        await handle.dispose();
      }
    } finally {
      ws.close();
    }
  });

  it('a studio killed mid-training is re-attached by the next one and the work finishes once', async () => {
    const root = await makeWorkspace(base);
    const spec = finetuneSpecSchema.parse({ baseModelId: 1, versionId: 1, systemPrompt: PETS_SYSTEM, userPrompt: PETS_USER, hyperparams: { max_steps: 80, gradient_accumulation_steps: 1, logging_steps: 1, eval_steps: 1000 } });
    // `node --import tsx` (not tsx's CLI, which forks): the pid killed is the studio host itself.
    const host = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests', 'trainer', 'finetune-host.ts'), root, JSON.stringify(spec)], { cwd: REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const jobId = await new Promise<string>((resolve, reject) => {
      host.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const id = /JOB (\S+)/.exec(out)?.[1];
        if (id && /PROGRESS step 1\/80/.test(out)) resolve(id);
      });
      host.on('exit', () => reject(new Error(`host exited early:\n${out}`)));
    });
    host.kill('SIGKILL');
    await new Promise((r) => host.once('close', r));
    const dir = finetuneJobDir(root, jobId);
    expect(existsSync(join(dir, 'run', 'result.json'))).toBe(false); // killed while the trainer was still running

    const ws = openWorkspace(root);
    const jobs = new JobManager({ workspaceRoot: ws.root, bus: new StudioEventBus(), db: ws.db });
    try {
      const info = await jobs.wait(jobId);
      expect(info.status, info.error ?? '').toBe('done');
      const steps = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
      expect(steps).toEqual(Array.from({ length: 80 }, (_, i) => i + 1)); // one trainer run: a second would append again
      expect(readFileSync(join(ws.root, 'job-runs', `${jobId}.log`), 'utf8').match(/building the bundle/g)).toHaveLength(1);
      expect(listModels(ws.db).filter((m) => m.provenance.finetune?.jobId === jobId)).toHaveLength(1);
    } finally {
      await jobs.close();
      ws.close();
    }
  });

  it('Ctrl-C on the CLI cancels: the trainer stops, the job is cancelled and no model is registered', async () => {
    const root = await makeWorkspace(base);
    writeFileSync(join(root, 'ft.yaml'), YAML.replace('max_steps: 3', 'max_steps: 200'));
    const args = ['--import', 'tsx', 'src/main/cli/index.ts', 'finetune', '--config', join(root, 'ft.yaml'), '--workspace', root, '--base', 'tiny-base', '--dataset', 'pets'];
    const cli = spawn(process.execPath, args, { cwd: REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => cli.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      cli.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/step 1\/200/.test(stdout)) resolve();
      });
      void closed.then(() => reject(new Error(`the CLI ended before training:\n${stdout}${stderr}`)));
    });
    cli.kill('SIGINT');
    expect(await closed).toBe(1);
    expect(stderr).toContain('fine-tune cancelled');
    const jobId = /fine-tune job (\S+)/.exec(stdout)![1];
    const ws = openWorkspace(root);
    try {
      expect(ws.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck(true).get(jobId)).toBe('cancelled');
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['tiny-base']);
    } finally {
      ws.close();
    }
    const dir = finetuneJobDir(root, jobId);
    expect(existsSync(join(dir, 'run', 'result.json'))).toBe(false);
    // No process of this job (the child or its trainer) is left running.
    const left = spawnSync('pgrep', ['-f', jobId], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  });
});
