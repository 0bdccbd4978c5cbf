/** VLM evals on a tiny random-weight LFM2-VL over real photos: scored / constrained / raw rows obey each mode's contract. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import type { CreateEvalParams, EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalMetrics } from '../../src/shared/metrics-types';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../src/shared/prompt-template';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { exportEvalConfig, resolveEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { registerModel } from '../../src/main/models/model-registry';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { runEvalCancelledAfter } from '../fixtures/eval-cancel';

let pw: PetsWorkspace;
let vlm: RegisteredModel;
const N = 6;

const params = (mode: CreateEvalParams['mode'], name: string = mode): CreateEvalParams => ({
  name,
  versionId: pw.version.id,
  split: 'all',
  modelId: vlm.id,
  mode,
  seed: 3,
  nSamples: N,
});
const metricsOf = (run: EvalRun): EvalMetrics => {
  if (run.metrics === null) throw new Error(`run ${run.name} has no metrics (${run.status}: ${run.error})`);
  return run.metrics;
};

beforeAll(async () => {
  pw = await makePetsWorkspace(4);
  vlm = await registerModel(pw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
});
afterAll(() => pw?.cleanup());

describe('VLM evals (tiny LFM2-VL)', () => {
  it('registers the tiny model as a VLM with a default dtype', () => {
    expect(vlm).toMatchObject({ kind: 'vlm', architecture: 'lfm2_vl', defaultDtype: 'q8' });
    expect(vlm.dtypes).toEqual(expect.arrayContaining(['fp32', 'q8']));
  });

  it('scored: every row has probabilities over the labels summing to 1, and the prediction is their argmax', async () => {
    const run = await runEval(pw.ws, (await createEvalRun(pw.db, params('scored'))).id);
    expect(run).toMatchObject({ status: 'done', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT, dtype: 'q8' });
    const rows = evalSampleRows(pw.db, run.id);
    expect(rows).toHaveLength(N);
    for (const r of rows) {
      expect(r.error).toBeNull();
      const p = r.probabilities as number[];
      expect(p).toHaveLength(2);
      expect(Math.abs(p[0] + p[1] - 1)).toBeLessThan(1e-6);
      expect(r.prediction).toBe(p[0] >= p[1] ? 'cat' : 'dog');
    }
    const m = metricsOf(run);
    expect([m.n, m.offLabelCount, m.calibration?.n]).toEqual([N, 0, N]);
  });

  it('constrained: never off-label, no probabilities', async () => {
    const run = await runEval(pw.ws, (await createEvalRun(pw.db, { ...params('constrained'), dtype: 'fp32' })).id);
    const rows = evalSampleRows(pw.db, run.id);
    for (const r of rows) {
      expect(r.error).toBeNull();
      expect(['cat', 'dog']).toContain(r.prediction);
      expect(r.rawOutput).toBe(r.prediction);
      expect(r.probabilities).toBeNull();
    }
    const m = metricsOf(run);
    expect([m.n, m.offLabelCount, m.calibration]).toEqual([N, 0, null]);
  });

  it('raw: stores the generated text; unmatched answers count as off-label', async () => {
    const run = await runEval(pw.ws, (await createEvalRun(pw.db, params('raw'))).id);
    const rows = evalSampleRows(pw.db, run.id);
    for (const r of rows) {
      expect(r.error).toBeNull();
      expect(typeof r.rawOutput).toBe('string');
      if (r.prediction !== null) expect(['cat', 'dog']).toContain(r.prediction);
    }
    expect(metricsOf(run).offLabelCount).toBe(rows.filter((r) => r.prediction === null).length);
  });

  it('scored runs resume after a cancel to the same rows as an uninterrupted run', async () => {
    const reference = await runEval(pw.ws, (await createEvalRun(pw.db, params('scored', 'scored-ref'))).id);
    const run = await createEvalRun(pw.db, params('scored', 'scored-resume'));
    const stopped = await runEvalCancelledAfter(pw.ws, run.id, 2);
    expect([stopped.status, stopped.doneCount]).toEqual(['cancelled', 2]);
    const resumed = await runEval(pw.ws, run.id);
    const pick = (id: number) => evalSampleRows(pw.db, id).map((r) => [r.sampleId, r.prediction, r.probabilities]);
    expect(pick(resumed.id)).toEqual(pick(reference.id));
    expect(metricsOf(resumed).calibration).toEqual(metricsOf(reference).calibration);
  });

  it('refuses classifier mode, an absent dtype and a class mapping for a VLM', async () => {
    await expect(createEvalRun(pw.db, params('classifier'))).rejects.toThrow(/vision-language model: use mode raw, constrained or scored/);
    await expect(createEvalRun(pw.db, { ...params('scored'), dtype: 'q4' })).rejects.toThrow(/no complete "q4" variant; available: fp32, q8/);
    await expect(createEvalRun(pw.db, { ...params('scored'), classMapping: 'imagenet-cats-vs-dogs' })).rejects.toThrow(/classifier evals only/);
  });

  it('round-trips a VLM run (prompts, structured_generation, dtype) through exported YAML', async () => {
    const yaml = `seed: 9\nmodel: tiny-lfm2\nstructured_generation: true\ndataset: pets\nn_samples: 4\ndtype: fp32\n` +
      `system_prompt: |\n  You look at pets.\nuser_prompt: |\n  Which one?\n\n  {{labels}}\n`;
    const run = await createEvalRun(pw.db, await resolveEvalConfig(pw.db, parseEvalConfig(yaml)));
    expect(run).toMatchObject({ mode: 'constrained', dtype: 'fp32', systemPrompt: 'You look at pets.\n', userPrompt: 'Which one?\n\n{{labels}}\n' });
    const exported = exportEvalConfig(pw.db, run.id);
    expect(exported).toContain('structured_generation: true');
    const again = await createEvalRun(pw.db, await resolveEvalConfig(pw.db, parseEvalConfig(exported)));
    const strip = ({ id: _i, createdAt: _c, ...rest }: EvalRun) => rest;
    expect(strip(again)).toEqual(strip(run));
  });
});
