/** The monitor's read-outs: steps done/total from message, metrics or result; ETA from throughput; uPlot's columns. */
import { describe, expect, it } from 'vitest';
import { defaultHyperparams, finetuneSpecSchema, type FinetuneHyperparams, type FinetuneMetricLine } from '../../../src/shared/finetune-types';
import type { FinetuneJob } from '../../../src/shared/ipc-contract-finetunes';
import { etaSeconds, formatDuration, stepsOf } from '../../../src/renderer/src/finetunes/finetune-format';
import { lossColumns } from '../../../src/renderer/src/finetunes/loss-chart';

function ft(status: FinetuneJob['job']['status'], message: string, over: Partial<FinetuneHyperparams> = {}, steps?: number): FinetuneJob {
  const result = steps === undefined ? null : { modelId: 1, modelName: 'm', exportDir: '/x', steps, trainSeconds: 1, firstTrainLoss: 1, lastTrainLoss: 0.5, lastEvalLoss: null, optimizer: 'adamw_torch' };
  return {
    job: { id: 'j', kind: 'finetune', status, value: 0, message, createdAt: '2026-01-01T00:00:00Z', finishedAt: null, error: null, result },
    spec: finetuneSpecSchema.parse({ baseModelId: 1, versionId: 1, systemPrompt: '', userPrompt: 'x', labels: null, hyperparams: { ...defaultHyperparams(), ...over } }),
    model: null,
    baseModelName: null,
    snapshot: null,
    phases: [],
    evaluation: null,
    resumableStep: null,
  };
}
const row = (step: number, samplesPerS: number, evalLoss?: number): FinetuneMetricLine => ({ step, epoch: step / 10, train_loss: 1 / step, lr: 1e-4, samples_per_s: samplesPerS, ...(evalLoss === undefined ? {} : { eval_loss: evalLoss }) });

describe('stepsOf', () => {
  it('reads the progress message, prefers the metrics rows for done steps, and knows the total from max_steps before any message', () => {
    expect(stepsOf(ft('running', 'step 3/8 · train_loss 0.6'))).toEqual({ done: 3, total: 8 });
    expect(stepsOf(ft('running', 'step 3/8 · train_loss 0.6'), [row(1, 2), row(5, 2)])).toEqual({ done: 5, total: 8 });
    expect(stepsOf(ft('queued', '', { max_steps: 40 }))).toEqual({ done: null, total: 40 });
    expect(stepsOf(ft('queued', ''))).toEqual({ done: null, total: null });
    expect(stepsOf(ft('done', 'Registered m', {}, 12))).toEqual({ done: 12, total: 12 });
  });
});

describe('etaSeconds', () => {
  it('is steps left × samples per step ÷ the latest samples/s, and null without throughput or total', () => {
    const job = ft('running', 'step 4/10', { batch_size: 2, gradient_accumulation_steps: 4 });
    expect(etaSeconds(job, [row(4, 4)])).toBe(((10 - 4) * 8) / 4);
    expect(etaSeconds(job, [])).toBeNull();
    expect(etaSeconds(job, [row(4, 0)])).toBeNull();
    expect(etaSeconds(ft('running', ''), [row(4, 4)])).toBeNull();
    expect([formatDuration(45), formatDuration(200), formatDuration(3840)]).toEqual(['45 s', '3 min 20 s', '1 h 04 min']);
  });
});

describe('lossColumns', () => {
  it('gives uPlot steps, train loss and eval loss with null where a step has no eval', () => {
    expect(lossColumns([row(1, 1), row(2, 1, 0.7)])).toEqual([[1, 2], [1, 0.5], [null, 0.7]]);
  });
});
