/** finetunes:resume and resumeFrom validation through the real dispatcher: a stopped job resumes only with a checkpoint and the same base, snapshot and step math; the payload is checked by zod. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finetuneSpecSchema, type FinetuneSpecInput, type FinetuneValidation } from '../../src/shared/finetune-types';
import type { FinetuneJob } from '../../src/shared/ipc-contract-finetunes';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { finetuneJobDir } from '../../src/main/finetunes/finetune-kind';
import { registerModel } from '../../src/main/models/model-registry';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let call: (channel: string, args: unknown) => Promise<unknown>;
let baseId: number;

beforeAll(async () => {
  pets = await makePetsWorkspace(3);
  core = createStudioCore(pets.ws);
  call = createDispatcher(core.handlers);
  const dir = join(mkdtempSync(join(tmpdir(), 'vcs-ft-base-')), 'tiny');
  cpSync(ensureTinyVlm('lfm2-vl'), dir, { recursive: true });
  // The validation only asks that PyTorch weights sit beside the ONNX files; no trainer runs in this file.
  writeFileSync(join(dir, 'model.safetensors'), 'weights');
  baseId = (await registerModel(pets.db, dir, { name: 'tiny' })).id;
}, 120_000);

afterAll(async () => {
  await core.jobs.close();
  pets.cleanup();
});

const spec = (over: Partial<FinetuneSpecInput> = {}) =>
  finetuneSpecSchema.parse({ baseModelId: baseId, versionId: pets.version.id, systemPrompt: 'Vet.', userPrompt: 'Which?\n{{labels}}', hyperparams: { max_steps: 10, save_steps: 3 }, ...over });

/** A finetune job row as a stopped job leaves it (no process runs here), optionally with a complete checkpoint at `step` in its run folder. */
function stoppedJob(id: string, status: string, checkpointStep?: number): void {
  pets.db.prepare(`INSERT INTO jobs (id, kind, status, params_json, backend) VALUES (?, 'finetune', ?, ?, 'process')`).run(id, status, JSON.stringify(spec()));
  if (checkpointStep === undefined) return;
  const ckpt = join(finetuneJobDir(pets.ws.root, id), 'run', 'checkpoints', `step-${checkpointStep}`);
  mkdirSync(ckpt, { recursive: true });
  writeFileSync(join(ckpt, 'state.json'), JSON.stringify({ format: 1, step: checkpointStep }));
  // A temp folder of an unfinished write is never a checkpoint.
  mkdirSync(join(ckpt, '..', `.tmp-step-${checkpointStep + 3}-1`));
}

describe('finetunes:resume', () => {
  it('refuses an unknown job and a malformed payload', async () => {
    await expect(call('finetunes:resume', { jobId: 'nope' })).rejects.toThrow('fine-tune job nope not found');
    await expect(call('finetunes:resume', { jobId: '' })).rejects.toThrow();
    await expect(call('finetunes:resume', { jobId: 'x', backend: { kind: 'ftp' } })).rejects.toThrow();
  });

  it('refuses a job that finished, and a stopped job that left no checkpoint', async () => {
    stoppedJob('done-1', 'done', 10);
    await expect(call('finetunes:resume', { jobId: 'done-1' })).rejects.toThrow('job done-1 is done; only a cancelled/failed/interrupted job can be resumed');
    stoppedJob('cancel-0', 'cancelled');
    await expect(call('finetunes:resume', { jobId: 'cancel-0' })).rejects.toThrow('job cancel-0 left no checkpoint to resume from');
    expect(((await call('finetunes:get', { jobId: 'cancel-0' })) as FinetuneJob).resumableStep).toBeNull();
  });

  it('a cancelled job with a checkpoint offers its step; a resume spec on any backend must keep base, snapshot and the step math', async () => {
    stoppedJob('cancel-6', 'cancelled', 6);
    expect(((await call('finetunes:get', { jobId: 'cancel-6' })) as FinetuneJob).resumableStep).toBe(6);
    expect(((await call('finetunes:list', {})) as FinetuneJob[]).find((f) => f.job.id === 'done-1')?.resumableStep).toBeNull();
    const ok = (await call('finetunes:validate', { spec: spec({ resumeFrom: { jobId: 'cancel-6' }, hyperparams: { max_steps: 20, save_steps: 5, eval_steps: 7 } }) })) as FinetuneValidation;
    expect(ok.errors).toEqual([]);
    const bad = (await call('finetunes:validate', {
      spec: spec({ resumeFrom: { jobId: 'cancel-6' }, userPrompt: 'Other?', hyperparams: { max_steps: 4, learning_rate: 1e-3, lora_r: 4 }, backend: { kind: 'ssh', hostId: 1 } }),
    })) as FinetuneValidation;
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual([
      'SSH host 1 not found',
      "resumeFrom: userPrompt differs from job cancel-6's",
      "resumeFrom: learning_rate, lora_r differ from job cancel-6's, which changes the steps already trained",
      "resumeFrom: max_steps 4 is below the checkpoint's step 6",
    ]);
    await expect(call('finetunes:create', spec({ resumeFrom: { jobId: 'cancel-6' }, hyperparams: { learning_rate: 1e-3, max_steps: 10 } }))).rejects.toThrow('Cannot resume: resumeFrom: learning_rate differs');
    // Any backend may resume a local checkpoint (SSH and Modal ship it in the bundle): no resume problem for modal.
    const modal = (await call('finetunes:validate', { spec: spec({ resumeFrom: { jobId: 'cancel-6' }, backend: { kind: 'modal', gpu: 'A10G', timeoutMinutes: 30 } }) })) as FinetuneValidation;
    expect(modal.errors.filter((e) => e.startsWith('resumeFrom'))).toEqual([]);
  });
});
