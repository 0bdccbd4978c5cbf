/** Trainer CLI contract: bad LoRA target lists and unknown keys are refused with a clear message; `npm run train` runs end to end. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/assets';
import { ensureTinyBase, makePetsBundle } from './fixtures';
import { runTrainer } from './python';

describe('trainer config validation (python -m lfm2vl_trainer train)', () => {
  let base: string;
  let work: string;
  beforeAll(async () => {
    base = await ensureTinyBase();
    work = mkdtempSync(join(tmpdir(), 'vcs-trainer-cfg-'));
    // An empty inputs folder: the config and the target list are checked before any data is read.
    writeFileSync(join(work, 'manifest.json'), JSON.stringify({ samples: [] }));
  });

  async function trainWith(yaml: string) {
    writeFileSync(join(work, 'c.yaml'), yaml);
    return runTrainer(['train', '--base', base, '--inputs', work, '--config', join(work, 'c.yaml'), '--out', join(work, 'out')]);
  }

  it('refuses a lora_target_modules list that matches no module of LFM2-VL', async () => {
    const r = await trainWith('lora_target_modules: [c_attn, c_proj]\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("lora_target_modules ['c_attn', 'c_proj'] match no Linear module of LFM2-VL");
  });

  it('refuses unknown keys instead of ignoring a typo', async () => {
    const r = await trainWith('learning_rte: 1e-4\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown config key 'learning_rte'");
  });
});

describe('npm run train (one command: studio processor → Python trainer)', () => {
  it('trains 2 steps on a 4-photo bundle and leaves metrics, adapter, export, checkpoint and result.json; --resume continues it', async () => {
    const bundle = await makePetsBundle(2);
    const out = mkdtempSync(join(tmpdir(), 'vcs-train-cli-'));
    writeFileSync(join(out, 'c.yaml'), 'max_steps: 2\ngradient_accumulation_steps: 2\nlogging_steps: 1\n');
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'trainer', 'studio', 'train-cli.ts'),
      '--base', await ensureTinyBase(), '--bundle', bundle, '--out', join(out, 'run'), '--config', join(out, 'c.yaml')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('prepared 4 samples (cat, dog)');
    const metrics = readFileSync(join(out, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metrics.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([1, 2]);
    for (const f of ['adapter/adapter_config.json', 'export/onnx/decoder_model_merged.onnx', 'result.json', 'checkpoints/step-2/state.json']) expect(existsSync(join(out, 'run', f))).toBe(true);
    // --resume continues from the step-2 checkpoint with a longer budget (max_steps may grow) and appends step 3.
    writeFileSync(join(out, 'c.yaml'), 'max_steps: 3\ngradient_accumulation_steps: 2\nlogging_steps: 1\n');
    const again = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'trainer', 'studio', 'train-cli.ts'),
      '--base', await ensureTinyBase(), '--bundle', bundle, '--out', join(out, 'run'), '--config', join(out, 'c.yaml'), '--resume', join(out, 'run', 'checkpoints', 'step-2')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('(step 2)');
    const resumed = readFileSync(join(out, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(resumed.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([1, 2, 3]);
    expect(resumed.slice(0, 2)).toEqual(metrics);
  });
});
