/**
 * Exact resume of both trainers on the CPU with fixed seeds: an uninterrupted run of N optimizer steps vs a run killed
 * with SIGKILL once it logged step k and resumed (--resume) from its newest checkpoint; every per-step train loss and
 * every eval loss agree within 1e-4 (LoRA dropout on, so the RNG states matter; the gradient is accumulated, so the
 * checkpoint must fall on optimizer-step boundaries).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMiniBase } from '../../trainer/studio/mini-base';
import { prepareTrainerInputs } from '../../trainer/studio/prepare-inputs';
import { asset } from '../support/assets';
import { FIXTURE_ROOT, ensureTinyBase, makePetsBundle } from './fixtures';
import { runTrainer, runTrainerOk, trainerPython } from './python';
import { newestCheckpoint, readRows, runKilledAfter, type MetricRow } from './resume-run';

const MOBILENET = asset('models', 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx');
/** What resume must reproduce: CPU float32 kernels run in the same order, so the runs agree far below this. */
const TOL = 1e-4;

function expectSameLosses(resumed: MetricRow[], straight: MetricRow[], steps: number): void {
  expect(resumed.map((r) => r.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1)); // no duplicate or missing step
  expect(straight.map((r) => r.step)).toEqual(resumed.map((r) => r.step));
  let worst = 0;
  for (const [i, a] of resumed.entries()) {
    const b = straight[i];
    worst = Math.max(worst, Math.abs(a.train_loss - b.train_loss), Math.abs(a.lr - b.lr));
    expect(a.eval_loss === undefined).toBe(b.eval_loss === undefined);
    if (a.eval_loss !== undefined) worst = Math.max(worst, Math.abs(a.eval_loss - b.eval_loss!));
  }
  console.log(`[resume] ${steps} steps, max |Δloss| ${worst.toExponential(2)}`);
  expect(worst).toBeLessThan(TOL);
}

/** Straight run vs kill-after-k + resume of one trainer command; returns the step the resume started from. */
async function killAndResume(cmd: string[], work: string, steps: number, k: number): Promise<number> {
  const straight = join(work, 'straight');
  const killed = join(work, 'killed');
  await runTrainerOk([...cmd, '--out', straight]);
  const kill = await runKilledAfter([...cmd, '--out', killed], k);
  expect(kill.exitedByItself, `the run finished before the kill (raise the step count):\n${kill.output.slice(-2000)}`).toBe(false);
  expect(existsSync(join(killed, 'result.json'))).toBe(false);
  const ckpt = newestCheckpoint(killed);
  expect(ckpt, 'no complete checkpoint before the kill').not.toBeNull();
  expect(ckpt!.step).toBeLessThan(steps);
  await runTrainerOk([...cmd, '--out', killed, '--resume', ckpt!.dir]);
  expectSameLosses(readRows(killed), readRows(straight), steps);
  // Checkpoints: the newest save_total_limit (2) remain, complete, the final one among them; no temp folder is left.
  const left = readdirSync(join(killed, 'checkpoints')).sort();
  expect(left).toHaveLength(2);
  expect(left).toContain(`step-${steps}`);
  for (const f of ['trainable.pt', 'optimizer.pt', 'scheduler.pt', 'rng.pt', 'state.json', 'adapter/adapter_config.json']) expect(existsSync(join(killed, 'checkpoints', `step-${steps}`, f))).toBe(true);
  return ckpt!.step;
}

describe('checkpoints and exact resume after SIGKILL', () => {
  let work: string;
  let bundle: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vcs-resume-'));
    bundle = await makePetsBundle(4, 0.25); // 6 train, 2 val photos
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  it('mini VLM: a run killed after step k and resumed logs the same per-step train and eval losses as an uninterrupted one', async () => {
    const base = ensureMiniBase(trainerPython(), join(FIXTURE_ROOT, 'mini-base-s0'));
    const inputs = join(work, 'mini-inputs');
    await prepareTrainerInputs(base, bundle, inputs);
    const steps = 36; // the mini trainer is fast on an idle CPU: leave the kill after step 4 room to land
    writeFileSync(join(work, 'mini.yaml'), `seed: 5\nlearning_rate: 3e-3\nmax_steps: ${steps}\nbatch_size: 2\ngradient_accumulation_steps: 2\noptim: adamw_torch\nlogging_steps: 1\neval_steps: 4\nsave_steps: 3\nlora_dropout: 0.1\n`);
    const dir = join(work, 'mini');
    const from = await killAndResume(['mini', '--base', base, '--inputs', inputs, '--mobilenet', MOBILENET, '--config', join(work, 'mini.yaml')], dir, steps, 4);
    expect(from % 3).toBe(0);
    expect(existsSync(join(dir, 'killed', 'checkpoints', `step-${steps}`, 'projector.pt'))).toBe(true);
    // A config that changes the math of the steps done is refused before anything is loaded.
    writeFileSync(join(work, 'other.yaml'), readFileSync(join(work, 'mini.yaml'), 'utf8').replace('learning_rate: 3e-3', 'learning_rate: 1e-3'));
    const r = await runTrainer(['mini', '--base', base, '--inputs', inputs, '--mobilenet', MOBILENET, '--config', join(work, 'other.yaml'), '--out', join(work, 'other'), '--resume', newestCheckpoint(join(dir, 'killed'))!.dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('the config differs in learning_rate (0.003 → 0.001)');
  }, 1_200_000);

  it('LFM2-VL train: the same on the tiny model', async () => {
    const base = await ensureTinyBase();
    const inputs = join(work, 'lfm-inputs');
    await prepareTrainerInputs(base, bundle, inputs);
    const steps = 6;
    writeFileSync(join(work, 'lfm.yaml'), `seed: 5\nlearning_rate: 5e-3\nmax_steps: ${steps}\ngradient_accumulation_steps: 2\noptim: adamw_torch\nlogging_steps: 1\neval_steps: 3\nsave_steps: 2\n`);
    await killAndResume(['train', '--base', base, '--inputs', inputs, '--config', join(work, 'lfm.yaml')], join(work, 'lfm'), steps, 3);
  }, 1_200_000);
});
