/** Open label sets end to end: real Stanford Cars photos of 6 makes, a tiny random-weight LFM2-VL offered the 49 makers (constrained, scored, raw, abstain, YAML). */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import type { CreateEvalParams, EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { EvalMetrics } from '../../src/shared/metrics-types';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { exportEvalConfig, resolveEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { createVersion } from '../../src/main/versions/snapshot';
import { asset } from '../support/assets';
import { CAR_MAKERS_49, SIX_MAKES } from '../support/car-makers';
import { makeTempWorkspace, type TempWorkspace } from './helpers/temp-workspace';

const CARS = asset('datasets', 'stanford-cars-6-makes');
const PER_MAKE = 2;
const N = 6;
let tw: TempWorkspace;
let source: string;
let versionId: number;
let vlm: RegisteredModel;

const params = (mode: CreateEvalParams['mode'], extra: Partial<CreateEvalParams> = {}): CreateEvalParams => ({
  name: `cars ${mode}`,
  versionId,
  split: 'all',
  modelId: vlm.id,
  mode,
  seed: 4,
  nSamples: N,
  labels: [...CAR_MAKERS_49],
  ...extra,
});
const metricsOf = (run: EvalRun): EvalMetrics => {
  if (run.metrics === null) throw new Error(`run ${run.name} has no metrics (${run.status}: ${run.error})`);
  return run.metrics;
};

/** The confusion matrix must count exactly the stored predictions, with a column per predicted non-truth candidate. */
function expectMatrixMatchesRows(run: EvalRun): string[] {
  const m = metricsOf(run);
  const rows = evalSampleRows(tw.db, run.id);
  expect(m.confusion.rows).toEqual([...SIX_MAKES]);
  const extras = CAR_MAKERS_49.filter((l) => !(SIX_MAKES as readonly string[]).includes(l) && rows.some((r) => r.prediction === l));
  expect(m.confusion.columns).toEqual([...SIX_MAKES, ...extras, 'off-label']);
  for (const r of rows) {
    const col = r.prediction === null ? m.confusion.columns.length - 1 : m.confusion.columns.indexOf(r.prediction);
    expect(col, `prediction ${String(r.prediction)}`).toBeGreaterThanOrEqual(0);
  }
  const total = m.confusion.counts.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(N);
  expect(m.outsideTruthCount).toBe(rows.filter((r) => r.prediction !== null && !(SIX_MAKES as readonly string[]).includes(r.prediction)).length);
  expect(m.correct).toBe(rows.filter((r) => r.prediction === r.truth).length);
  expect(m.perClass.map((c) => c.label)).toEqual([...SIX_MAKES]);
  return extras;
}

beforeAll(async () => {
  tw = makeTempWorkspace('vcs-open-labels-');
  source = mkdtempSync(join(tmpdir(), 'vcs-cars-src-'));
  for (const make of SIX_MAKES) {
    mkdirSync(join(source, make));
    for (const f of readdirSync(join(CARS, make)).sort().slice(0, PER_MAKE)) copyFileSync(join(CARS, make, f), join(source, make, f));
  }
  const report = await runImport(tw.ws, { source, format: 'imagefolder', datasetName: 'cars' }, {});
  expect(report.imported).toBe(6 * PER_MAKE);
  versionId = createVersion(tw.db, report.datasetId, 'v1').id;
  vlm = await registerModel(tw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
});
afterAll(() => {
  tw?.cleanup();
  if (source) rmSync(source, { recursive: true, force: true });
});

describe('open label sets: 6 makes in truth, 49 makers offered (tiny LFM2-VL)', () => {
  it('stores the 49 candidates, the 6 truth classes in candidate order, and refuses a list missing a make', async () => {
    const run = await createEvalRun(tw.db, params('constrained'));
    expect(run.labels).toEqual([...CAR_MAKERS_49]);
    expect(run.truthLabels).toEqual([...SIX_MAKES]);
    expect(run.abstainLabel).toBeNull();
    const withoutHyundai = CAR_MAKERS_49.filter((m) => m !== 'Hyundai');
    await expect(createEvalRun(tw.db, params('constrained', { labels: withoutHyundai }))).rejects.toThrow(/missing: Hyundai/);
  });

  it('constrained over 49 labels: every answer is one of the 49 makers; non-truth answers get their own columns', async () => {
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params('constrained', { dtype: 'fp32' }))).id);
    expect(run.status).toBe('done');
    const rows = evalSampleRows(tw.db, run.id);
    for (const r of rows) {
      expect(r.error).toBeNull();
      expect(CAR_MAKERS_49).toContain(r.prediction);
    }
    // The random-weight model is deterministic: it answers makers outside the 6 makes, which get their own columns.
    expect(expectMatrixMatchesRows(run).length).toBeGreaterThan(0);
    expect(metricsOf(run).offLabelCount).toBe(0);
  });

  it('scored over 49 labels: 49 probabilities summing to 1, prediction = argmax, calibration over all candidates', async () => {
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params('scored'))).id);
    const rows = evalSampleRows(tw.db, run.id);
    for (const r of rows) {
      expect(r.error).toBeNull();
      const p = r.probabilities as number[];
      expect(p).toHaveLength(49);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(r.prediction).toBe(CAR_MAKERS_49[p.indexOf(Math.max(...p))]);
    }
    expect(expectMatrixMatchesRows(run).length).toBeGreaterThan(0);
    expect(metricsOf(run).calibration?.n).toBe(N);
  });

  it('raw: free text maps to any of the 49 candidates or is off-label', async () => {
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params('raw'))).id);
    for (const r of evalSampleRows(tw.db, run.id)) if (r.prediction !== null) expect(CAR_MAKERS_49).toContain(r.prediction);
    expectMatrixMatchesRows(run);
  });

  it('abstain: with "unknown" among the candidates, coverage and accuracy on answered are reported', async () => {
    const labels = [...CAR_MAKERS_49, 'unknown'];
    const run = await runEval(tw.ws, (await createEvalRun(tw.db, params('scored', { labels, abstainLabel: 'unknown' }))).id);
    expect(run.abstainLabel).toBe('unknown');
    const rows = evalSampleRows(tw.db, run.id);
    const abstained = rows.filter((r) => r.prediction === 'unknown').length;
    const a = metricsOf(run).abstain;
    expect(a).toMatchObject({ label: 'unknown', abstained, answered: N - abstained, coverage: (N - abstained) / N });
    const correct = rows.filter((r) => r.prediction === r.truth).length;
    expect(a?.accuracyOnAnswered).toBe(N - abstained > 0 ? correct / (N - abstained) : null);
  });

  it('YAML: candidate_labels from a file next to the config, abstain_label, and export → parse round-trips', async () => {
    const dir = join(tw.root, 'configs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'makers.txt'), `# 49 makers + abstain\n${[...CAR_MAKERS_49, 'unknown'].map((m) => `- ${m}`).join('\n')}\n`);
    const yaml = 'model: tiny-lfm2\nmode: constrained\ndataset: cars\nn_samples: 3\nseed: 1\ncandidate_labels: makers.txt\nabstain_label: unknown\n';
    const run = await createEvalRun(tw.db, await resolveEvalConfig(tw.db, parseEvalConfig(yaml), { baseDir: dir }));
    expect(run.labels).toHaveLength(50);
    expect(run).toMatchObject({ truthLabels: [...SIX_MAKES], abstainLabel: 'unknown' });
    const exported = exportEvalConfig(tw.db, run.id);
    expect(exported).toContain('candidate_labels:\n  - AM\n');
    expect(exported).toContain('abstain_label: unknown');
    const again = await createEvalRun(tw.db, await resolveEvalConfig(tw.db, parseEvalConfig(exported)));
    const strip = ({ id: _i, createdAt: _c, ...rest }: EvalRun) => rest;
    expect(strip(getEvalRun(tw.db, again.id))).toEqual(strip(run));
    await expect(resolveEvalConfig(tw.db, parseEvalConfig(yaml.replace('makers.txt', 'nope.txt')), { baseDir: dir })).rejects.toThrow(
      /candidate_labels file .*nope\.txt does not exist/,
    );
    const mismatch = `${yaml}label_mapping:\n  0: Audi\n  1: Lada\n`;
    await expect(resolveEvalConfig(tw.db, parseEvalConfig(mismatch), { baseDir: dir })).rejects.toThrow(/label_mapping names Lada, which candidate_labels does not list/);
  });
});
