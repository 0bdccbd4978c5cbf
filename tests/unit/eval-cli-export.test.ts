/** `studio eval --config` end to end on real photos, and the per-sample CSV / JSON exports of that run. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmdEval } from '../../src/main/cli/eval-command';
import { UsageError } from '../../src/main/cli/args';
import { exportRunCsv, exportRunJson, type RunExport } from '../../src/main/evals/eval-export';
import { evalSampleRows, getEvalRun, listEvalRuns } from '../../src/main/evals/eval-store';
import type { EvalRun } from '../../src/shared/eval-types';
import { makePetsWorkspace, MOBILENET_DIR, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let run: EvalRun;
let out: string[];
let err: string[];
let code: number;

const CONFIG = `seed: 23
model: ${JSON.stringify(MOBILENET_DIR)}
dataset: pets
n_samples: 12
split: all
image_column: image
label_column: labels
label_mapping:
  0: cat
  1: dog
class_mapping: imagenet-cats-vs-dogs
`;

/** Minimal RFC 4180 reader (quoted fields with "" escapes and embedded commas/newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  return rows;
}

beforeAll(async () => {
  pw = await makePetsWorkspace(10);
  const file = join(pw.root, 'cats_vs_dogs.yaml');
  writeFileSync(file, CONFIG);
  out = [];
  err = [];
  code = await cmdEval(pw.ws, ['--config', file, '--workspace', pw.root, '--name', 'cli run'], (l) => out.push(l), (l) => err.push(l));
  run = listEvalRuns(pw.db)[0];
});
afterAll(() => pw?.cleanup());

describe('studio eval --config', () => {
  it('creates and runs the eval, printing progress on stderr and the metrics on stdout', () => {
    expect(code).toBe(0);
    expect(run).toMatchObject({ name: 'cli run', status: 'done', mode: 'classifier', plannedCount: 12, doneCount: 12 });
    // The folder path in the config was registered on the fly.
    expect(run.config.modelPath).toBe(MOBILENET_DIR);
    expect(err[0]).toMatch(/^Created eval #\d+ "cli run": 12 samples, mode classifier$/);
    expect(err.some((l) => /^\[100%\] /.test(l))).toBe(true);
    const text = out.join('\n');
    const m = run.metrics;
    if (m === null) throw new Error('no metrics');
    expect(text).toContain(`Accuracy:          ${m.accuracy.toFixed(3)}  (${m.correct}/12)`);
    expect(text).toContain(`Balanced accuracy: ${m.balancedAccuracy.toFixed(3)}`);
    expect(text).toContain('Off-label rate:    0.0%  (0/12)');
    expect(text).toMatch(/class +precision +recall +f1 +support/);
    const catRow = m.perClass[0];
    expect(text).toMatch(new RegExp(`cat +${catRow.precision.toFixed(3)} +${catRow.recall.toFixed(3)} +${catRow.f1.toFixed(3)} +${catRow.support}`));
    expect(text).toContain('Confusion matrix (rows = truth, columns = prediction):');
    expect(text).toMatch(new RegExp(`dog +${m.confusion.counts[1].join(' +')}`));
    expect(text).toMatch(/Calibration \(12 scored rows\): ECE \d\.\d{3}/);
    expect(text).toMatch(/Latency: p50 \d+\.\d ms {2}p95 \d+\.\d ms/);
    expect(text).toMatch(/Throughput: \d+\.\d{2} samples\/s/);
  });

  it('resumes a run by id, and rejects bad invocations', async () => {
    const lines: string[] = [];
    expect(await cmdEval(pw.ws, ['--resume', String(run.id)], (l) => lines.push(l), () => {})).toBe(0);
    expect(lines[0]).toMatch(/— done$/);
    await expect(cmdEval(pw.ws, [], () => {}, () => {})).rejects.toThrow(UsageError);
    await expect(cmdEval(pw.ws, ['--config', join(pw.root, 'missing.yaml')], () => {}, () => {})).rejects.toThrow(/no such file/);
    const bad = join(pw.root, 'bad.yaml');
    writeFileSync(bad, `${CONFIG}lora_r: 8\n`);
    await expect(cmdEval(pw.ws, ['--config', bad], () => {}, () => {})).rejects.toThrow(/unknown key "lora_r"/);
    expect(listEvalRuns(pw.db)).toHaveLength(1);
  });
});

describe('run exports', () => {
  it('CSV: one row per sample with path, truth, prediction, correct, raw output, per-label probabilities, latency', async () => {
    const rows = parseCsv(await exportRunCsv(pw.db, pw.ws, run.id));
    const header = rows[0];
    expect(header).toEqual(['position', 'sample_id', 'image_path', 'truth', 'prediction', 'correct', 'raw_output', 'p_cat', 'p_dog', 'latency_ms', 'error', 'ood_mass', 'model_top1']);
    const samples = evalSampleRows(pw.db, run.id);
    expect(rows).toHaveLength(samples.length + 1);
    rows.slice(1).forEach((r, i) => {
      const s = samples[i];
      expect(r.slice(0, 6)).toEqual([String(i), String(s.sampleId), s.originalPath, s.truth, s.prediction, String(s.prediction === s.truth)]);
      expect(r[2]).toMatch(/(cat|dog)[/\\][^/\\]+\.jpg$/);
      expect(r[6]).toBe(s.rawOutput);
      expect(Number(r[7]) + Number(r[8])).toBeCloseTo(1, 9);
      expect(Number(r[9])).toBeGreaterThan(0);
      expect(r[10]).toBe('');
      // A mapped classifier run also exports the mass outside cat/dog and the model's own top class.
      expect(Number(r[11])).toBe(s.oodMass);
      expect(r[12]).toBe(s.modelTop1);
      expect(s.rawOutput?.startsWith(r[12])).toBe(true);
    });
    expect(rows.slice(1).filter((r) => r[5] === 'true')).toHaveLength(getEvalRun(pw.db, run.id).metrics?.correct ?? -1);
  });

  it('CSV with thumbnails adds a base64 JPEG per row', async () => {
    const rows = parseCsv(await exportRunCsv(pw.db, pw.ws, run.id, { thumbnails: true }));
    expect(rows[0].at(-1)).toBe('image_base64');
    for (const r of rows.slice(1, 4)) {
      const jpeg = Buffer.from(r.at(-1) ?? '', 'base64');
      const meta = await sharp(jpeg).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(256);
    }
  });

  it('JSON: the run parameters, its metrics and per-sample objects with labelled probabilities', async () => {
    const doc = JSON.parse(await exportRunJson(pw.db, pw.ws, run.id)) as RunExport;
    expect(doc.run).toMatchObject({ id: run.id, labels: ['cat', 'dog'], classMapping: 'imagenet-cats-vs-dogs', seed: 23 });
    expect(doc.metrics).toEqual(run.metrics);
    expect(doc.samples).toHaveLength(12);
    const samples = evalSampleRows(pw.db, run.id);
    doc.samples.forEach((s, i) => {
      expect(s).toMatchObject({ position: i, sampleId: samples[i].sampleId, truth: samples[i].truth, error: null, done: true });
      expect(s.correct).toBe(s.prediction === s.truth);
      expect(Object.keys(s.probabilities ?? {})).toEqual(['cat', 'dog']);
      expect(s.probabilities?.cat).toBe(samples[i].probabilities?.[0]);
      expect(s.thumbnailJpegBase64).toBeUndefined();
      expect(s.oodMass).toBe(samples[i].oodMass);
      expect(s.modelTop1).toBe(samples[i].modelTop1);
    });
  });
});
