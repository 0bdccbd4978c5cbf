/** Reads the trainer's metrics.jsonl: the progress line of each step and the summary a finished job reports. */
import { existsSync, readFileSync } from 'node:fs';
import type { FinetuneHyperparams, FinetuneMetricLine } from '../../shared/finetune-types';

/** Optimizer steps the trainer will run (its own formula in train.py: ceil(train / per_step) × epochs, or max_steps). */
export function totalSteps(trainSamples: number, hp: FinetuneHyperparams): number {
  if (hp.max_steps > 0) return hp.max_steps;
  const perStep = hp.batch_size * hp.gradient_accumulation_steps;
  return Math.ceil(Math.ceil(trainSamples / perStep) * hp.num_train_epochs);
}

/** Whole lines only: a line the trainer is still writing is left for the next read. */
export function readMetrics(file: string): FinetuneMetricLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FinetuneMetricLine);
}

/** `step 3/8 · train_loss 0.612 · eval_loss 0.701` — what the job bar and the CLI show. */
export function progressMessage(m: FinetuneMetricLine, total: number): string {
  const parts = [`step ${m.step}/${total}`, `train_loss ${m.train_loss.toPrecision(4)}`];
  if (typeof m.eval_loss === 'number') parts.push(`eval_loss ${m.eval_loss.toPrecision(4)}`);
  return parts.join(' · ');
}

export function metricsSummary(lines: FinetuneMetricLine[]): { firstTrainLoss: number | null; lastTrainLoss: number | null; lastEvalLoss: number | null } {
  const evals = lines.filter((l) => typeof l.eval_loss === 'number');
  return {
    firstTrainLoss: lines[0]?.train_loss ?? null,
    lastTrainLoss: lines.at(-1)?.train_loss ?? null,
    lastEvalLoss: evals.at(-1)?.eval_loss ?? null,
  };
}
