/**
 * The fine-tune pipeline on the local backend with a mini-VLM base: the mini-VLM create job (job system, thread
 * worker, Python export) registers a base; fine-tuning it runs the `mini` trainer from the bundle (base, MobileNetV2
 * and inputs inside it), stamps the phases (no `done` while an automatic evaluation is to follow), registers with
 * lineage; an export whose bytes differ from result.json is refused; a trainer kill -9'd mid-run fails the job with
 * the logs' last lines.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src/main/api/event-bus';
import { verifyBundle } from '../../src/main/finetunes/finetune-bundle';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { registerFinetune } from '../../src/main/finetunes/finetune-register';
import { listPhases } from '../../src/main/finetunes/finetune-state-store';
import { JobManager } from '../../src/main/jobs/job-manager';
import { listModels } from '../../src/main/models/model-registry';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { finetuneSpecSchema, type FinetuneSpecInput } from '../../src/shared/finetune-types';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { ensureMiniVlmBase, makeMiniWorkspace, MINI_SYSTEM, MINI_USER } from './mini-fixtures';

let base: string;
const roots: string[] = [];
beforeAll(async () => {
  base = await ensureMiniVlmBase();
});
afterAll(() => {
  for (const r of roots) execFileSync('rm', ['-rf', r]);
  cleanupTempDirs();
});

const spec = (hp: FinetuneSpecInput['hyperparams'], evaluate = true) =>
  finetuneSpecSchema.parse({ baseModelId: 1, versionId: 1, systemPrompt: MINI_SYSTEM, userPrompt: MINI_USER, evaluate: { enabled: evaluate }, hyperparams: { optim: 'adamw_torch', learning_rate: 3e-3, gradient_accumulation_steps: 1, batch_size: 2, ...hp } });
const phases = (ws: Workspace, id: string) => listPhases(ws.db, id).map((p) => p.phase);

async function withStudio<T>(fn: (ws: Workspace, jobs: JobManager, bus: StudioEventBus) => Promise<T>): Promise<T> {
  const root = await makeMiniWorkspace(base);
  roots.push(root);
  const ws = openWorkspace(root);
  const bus = new StudioEventBus();
  const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
  try {
    return await fn(ws, jobs, bus);
  } finally {
    await jobs.close();
    ws.close();
  }
}

describe('the fine-tune pipeline with a mini-VLM base (local backend)', () => {
  it('the create job builds and registers a mini VLM (MobileNetV2 + small LM) from the bundled resources', async () => {
    const ws = openWorkspace(makeTempDir('vcs-mini-job-'));
    const bus = new StudioEventBus();
    const seen: string[] = [];
    bus.on('jobs:progress', (p) => seen.push(p.message));
    const jobs = new JobManager({ workspaceRoot: ws.root, bus, db: ws.db });
    try {
      const id = jobs.start('mini-vlm-create', { name: 'My mini' });
      const info = await jobs.wait(id);
      expect(info.status, info.error ?? '').toBe('done');
      expect(seen).toContain('exporting ONNX: MobileNetV2 + projector vision encoder, embeddings, decoder');
      const [model] = listModels(ws.db);
      expect([model?.name, model?.architecture, model?.kind]).toEqual(['My mini', 'lfm2_vl', 'vlm']);
      expect(model?.path).toBe(join(ws.root, 'models', 'mini-vlm', 'my-mini'));
      expect(existsSync(join(model!.path, 'model.safetensors'))).toBe(true);
      expect((JSON.parse(readFileSync(join(model!.path, 'config.json'), 'utf8')) as { mini_vlm: { trained_steps: number } }).mini_vlm.trained_steps).toBe(0);
      expect(ws.db.prepare('SELECT owner_kind, owner_id FROM jobs WHERE id = ?').get(id)).toEqual({ owner_kind: 'model', owner_id: model!.id });
    } finally {
      await jobs.close();
      ws.close();
    }
  });

  it('fine-tunes it with the mini trainer from the bundle, registers with lineage, and leaves `done` to the evaluation; a tampered export is refused', () =>
    withStudio(async (ws, jobs) => {
      const id = jobs.start('finetune', spec({ max_steps: 6, logging_steps: 1, eval_steps: 3 }));
      const info = await jobs.wait(id);
      expect(info.status, info.error ?? '').toBe('done');
      const dir = finetuneJobDir(ws.root, id);
      expect(await verifyBundle(join(dir, 'bundle'))).toEqual({ ok: true, problems: [] });
      for (const f of ['base/model.safetensors', 'mobilenet/mobilenetv2-12-int8.onnx', 'inputs/manifest.json', 'trainer/lfm2vl_trainer/mini_train.py']) expect(existsSync(join(dir, 'bundle', f)), f).toBe(true);
      const model = listModels(ws.db).find((m) => m.provenance.finetune?.jobId === id)!;
      expect([model.provenance.finetune!.backend, model.provenance.finetune!.baseModelName, model.path]).toEqual(['process', 'mini', join(dir, 'run', 'export')]);
      expect(readFileSync(join(dir, 'run', 'train.log'), 'utf8')).toContain('exported the mini-VLM');
      // evaluate.enabled (the default): the automatic evaluation stamps evaluating/done, not the pipeline.
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'downloading', 'registering']);

      const copy = makeTempDir('vcs-tampered-');
      cpSync(join(dir, 'run'), copy, { recursive: true });
      const onnx = join(copy, 'export', 'onnx', 'embed_tokens.onnx');
      const bytes = readFileSync(onnx);
      bytes[bytes.length - 1] ^= 0xff;
      writeFileSync(onnx, bytes);
      const files = { out: copy, metrics: join(copy, 'metrics.jsonl'), trainLog: join(copy, 'train.log') };
      await expect(registerFinetune(ws.db, spec({ max_steps: 6 }), 'other-job', files, ['cat', 'dog'], 'process')).rejects.toThrow(/artifact export\/onnx\/embed_tokens\.onnx failed its sha256 check .*nothing was registered/);
      expect(listModels(ws.db)).toHaveLength(2);
    }));

  it('a trainer killed mid-run fails the job with the last lines of train.log and stderr; nothing is registered', () =>
    withStudio(async (ws, jobs, bus) => {
      let id = '';
      const training = new Promise<void>((resolve) => bus.on('jobs:progress', (p) => p.jobId === id && /^step 2\/400/.test(p.message) && resolve()));
      id = jobs.start('finetune', spec({ max_steps: 400, logging_steps: 1, eval_steps: 1000, batch_size: 1 }, false));
      await training;
      const pid = execFileSync('pgrep', ['-f', `lfm2vl_trainer mini .*finetunes/${id}/run`], { encoding: 'utf8' }).trim().split('\n')[0]!;
      process.kill(Number(pid), 'SIGKILL');
      const info = await jobs.wait(id);
      expect(info.status).toBe('failed');
      expect(info.error).toContain('the trainer was killed (SIGKILL)');
      expect(info.error).toContain('train.log: ');
      // The newest step lines (how far it got before the kill depends on the machine's speed).
      expect(info.error).toMatch(/step=\d+ epoch=[\d.]+ train_loss=/);
      expect(info.error!.split('\n').length).toBeGreaterThanOrEqual(8);
      expect(listModels(ws.db).map((m) => m.name)).toEqual(['mini']);
      expect(phases(ws, id)).toEqual(['queued', 'uploading', 'running', 'failed']);
    }));
});
