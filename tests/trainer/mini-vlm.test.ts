/** Mini-VLM (frozen MobileNetV2 → projector → small LFM2 LM + LoRA): `npm run train -- --arch mini-vlm` on all 370 Oxford pets, then the studio's eval engine on the test split (constrained). */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import { runExport } from '../../src/main/exports/export-runner';
import { runImport } from '../../src/main/imports/import-runner';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { registerModel } from '../../src/main/models/model-registry';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import type { DatasetVersion } from '../../src/shared/domain';
import { buildVlmInputs } from '../../src/main/inference/vlm/build-prompt';
import { scoreLabelTokens } from '../../src/main/inference/vlm/decode-scored';
import { labelTokenSequences } from '../../src/main/inference/vlm/label-tokens';
import { loadVlm } from '../../src/main/inference/vlm/load-vlm';
import type { TrainerManifest } from '../../trainer/studio/prepare-inputs';
import { REPO_ROOT, asset } from '../support/assets';
import { makeTempWorkspace, type TempWorkspace } from '../unit/helpers/temp-workspace';
import { PETS_SYSTEM, PETS_USER, ensureTinyBase } from './fixtures';
import { runTrainer, runTrainerOk } from './python';

/** trainer/mini-vlm.yaml, the CLI's default budget: 296 train photos × 2 epochs, 4 photos per forward and optimizer step (projector + LoRA r 8). */
const EXPECTED_STEPS = 148;
const MOBILENET = asset('models', 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx');
const figures: Record<string, unknown> = {};

/** `npm run train -- …` as a real child process (tsx), 2 CPU threads. */
function trainCli(args: string[]): Promise<{ code: number; output: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'trainer/studio/train-cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2', HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, output, seconds: (performance.now() - t0) / 1000 }));
  });
}

describe('mini-VLM trainer: MobileNetV2 features → projector → LoRA LM, exported in the LFM2-VL layout', () => {
  let tw: TempWorkspace;
  let work: string;
  let version: DatasetVersion;
  let run: string;
  let bundle: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vcs-mini-vlm-'));
    const source = join(work, 'photos');
    for (const [from, label] of [['cats', 'cat'], ['dogs', 'dog']] as const) {
      mkdirSync(join(source, label), { recursive: true });
      for (const f of readdirSync(asset('datasets', 'oxford-pets-370', from))) copyFileSync(asset('datasets', 'oxford-pets-370', from, f), join(source, label, f));
    }
    tw = makeTempWorkspace('vcs-mini-ws-');
    const report = await runImport(tw.ws, { source, format: 'imagefolder', datasetName: 'pets' }, {});
    expect(report.imported).toBe(370);
    assignSplits(tw.db, { datasetId: report.datasetId, seed: 23, ratios: { train: 0.8, val: 0.1, test: 0.1 } });
    version = createVersion(tw.db, report.datasetId, 'v1');
    bundle = join(work, 'bundle');
    await runExport(tw.ws, { versionId: version.id, format: 'jsonl-chat', destination: bundle, systemPrompt: PETS_SYSTEM, userPrompt: PETS_USER });
    run = join(work, 'run');
    const cli = await trainCli(['--arch', 'mini-vlm', '--bundle', bundle, '--out', run, '--mobilenet', MOBILENET]);
    if (cli.code !== 0) throw new Error(`npm run train -- --arch mini-vlm exited ${cli.code}:\n${cli.output.slice(-4000)}`);
    figures.cli_seconds = cli.seconds;
    await runTrainerOk(['mini', '--untrained', '--base', join(run, 'base'), '--inputs', join(run, 'inputs'), '--mobilenet', MOBILENET, '--out', join(work, 'untrained')]);
  });

  afterAll(() => {
    console.log(`[mini-vlm figures] ${JSON.stringify(figures)}`);
    tw?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const models = new Map<string, RegisteredModel>();
  const evalTest = async (dir: string, name: string, mode: 'constrained' | 'raw' = 'constrained'): Promise<EvalRun> => {
    const model = models.get(dir) ?? (await registerModel(tw.db, dir, { name }));
    models.set(dir, model);
    expect(model).toMatchObject({ kind: 'vlm', architecture: 'lfm2_vl' });
    const params = { name, versionId: version.id, split: 'test' as const, modelId: model.id, mode, seed: 23, nSamples: null };
    const evalRun = await runEval(tw.ws, (await createEvalRun(tw.db, { ...params, systemPrompt: PETS_SYSTEM, userPrompt: PETS_USER, dtype: 'fp32' })).id);
    expect(evalRun.status).toBe('done');
    const rows = evalSampleRows(tw.db, evalRun.id);
    expect(rows.map((r) => r.truth).sort()).toEqual([...Array(12).fill('cat'), ...Array(25).fill('dog')]);
    if (mode === 'constrained') for (const r of rows) expect(['cat', 'dog']).toContain(r.prediction);
    return evalRun;
  };

  it('trains the stated budget on the 296 train photos (val loss logged) and exports the three LFM2-VL sessions with checksums', () => {
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as { steps: number; train_samples: number; train_seconds: number; feature_seconds: number; files: Record<string, string> };
    expect([result.steps, result.train_samples]).toEqual([EXPECTED_STEPS, 296]);
    for (const f of ['vision_encoder', 'embed_tokens', 'decoder_model_merged']) expect(result.files[`export/onnx/${f}.onnx`]).toMatch(/^[0-9a-f]{64}$/);
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(metrics.at(-1)!.step).toBe(EXPECTED_STEPS);
    expect(metrics.at(-1)!.train_loss).toBeLessThan(metrics[0].train_loss);
    expect(typeof metrics.at(-1)!.eval_loss).toBe('number');
    Object.assign(figures, { train_seconds: result.train_seconds, feature_seconds: result.feature_seconds, first_loss: metrics[0].train_loss, last_loss: metrics.at(-1)!.train_loss });
  });

  it('the stitched encoder rebuilds the photo exactly (vs numpy/torch) and MobileNetV2 (its own ImageNet head) names its species', async () => {
    const r = await runTrainerOk(['mini-check', '--base', join(run, 'base'), '--inputs', join(run, 'inputs'), '--mobilenet', MOBILENET, '--limit', '40']);
    const check = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { n: number; max_image_diff: number; species_agreement: number };
    Object.assign(figures, { stitch_max_image_diff: check.max_image_diff, imagenet_species_agreement: check.species_agreement });
    expect(check.n).toBe(40);
    expect(check.max_image_diff).toBeLessThan(1e-3);
    expect(check.species_agreement).toBeGreaterThanOrEqual(0.7);
  });

  it('refuses a base whose processor splits images into tiles (the stitched encoder reads one whole image)', async () => {
    const r = await runTrainer(['mini', '--base', await ensureTinyBase(), '--inputs', join(run, 'inputs'), '--mobilenet', MOBILENET, '--out', join(work, 'refused')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('needs do_image_splitting: false');
  });

  it('export parity on the 37 val photos: the studio engine per-label token log-probs match the trained PyTorch model within 1e-3', async () => {
    const manifest = JSON.parse(readFileSync(join(run, 'inputs', 'manifest.json'), 'utf8')) as TrainerManifest;
    const ref = JSON.parse(readFileSync(join(run, 'reference.json'), 'utf8')) as { samples: { image: string; label_token_logprobs: number[][] }[] };
    const val = manifest.samples.filter((s) => s.split === 'val');
    expect(ref.samples.map((r) => r.image)).toEqual(val.map((s) => s.image));
    const handle = await loadVlm({ modelDir: join(run, 'export') });
    let maxDiff = 0;
    try {
      for (const [i, s] of val.entries()) {
        const { inputs: feed } = await buildVlmInputs(handle, join(bundle, s.image), s.prompt);
        const studio = await scoreLabelTokens(handle, feed, labelTokenSequences(handle, s.prompt.labels));
        studio.forEach((lps, l) => lps.forEach((lp, k) => (maxDiff = Math.max(maxDiff, Math.abs(lp - ref.samples[i].label_token_logprobs[l][k])))));
      }
    } finally {
      await handle.dispose();
    }
    figures.parity_max_abs_logprob_diff = maxDiff;
    expect(val).toHaveLength(37);
    expect(maxDiff).toBeLessThan(1e-3);
  }, 300_000);

  it('the studio eval engine (constrained, test split): untrained ≈ 0.5 balanced accuracy, trained ≥ 0.85', async () => {
    const before = await evalTest(join(work, 'untrained', 'export'), 'mini-untrained');
    const after = await evalTest(join(run, 'export'), 'mini-trained');
    figures.untrained_balanced_accuracy = before.metrics?.balancedAccuracy;
    figures.untrained_accuracy = before.metrics?.accuracy;
    figures.trained_balanced_accuracy = after.metrics?.balancedAccuracy;
    figures.trained_accuracy = after.metrics?.accuracy;
    expect(Math.abs(before.metrics!.balancedAccuracy - 0.5)).toBeLessThanOrEqual(0.15);
    expect(after.metrics!.balancedAccuracy).toBeGreaterThanOrEqual(0.85);
  }, 300_000);

  it('unconstrained (raw) generation of the trained model writes the label words itself: ≥ 0.85 balanced accuracy, no off-label answers', async () => {
    const raw = await evalTest(join(run, 'export'), 'mini-trained-raw', 'raw');
    figures.trained_raw_balanced_accuracy = raw.metrics?.balancedAccuracy;
    figures.trained_raw_off_label = raw.metrics?.offLabelCount;
    expect(raw.metrics!.offLabelCount).toBe(0);
    expect(raw.metrics!.balancedAccuracy).toBeGreaterThanOrEqual(0.85);
  }, 300_000);
});
