/** Every CSV the studio writes neutralises spreadsheet formulas (OWASP: a leading ' before =, +, -, @, tab, CR): dataset export and eval-run export. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/main/exports/export-names';
import { runExport } from '../../src/main/exports/export-runner';
import { exportRunCsv } from '../../src/main/evals/eval-export';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { runEval } from '../../src/main/evals/run-eval';
import { createVersion } from '../../src/main/versions/snapshot';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { makeTempDir, cleanupTempDirs } from '../fixtures/temp-dirs';

const DANGEROUS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];

describe('csvField', () => {
  it.each(DANGEROUS)('prefixes %j with a single quote', (value) => {
    const cell = parse(`${csvField(value)}\n`, { relax_quotes: true })[0][0] as string;
    expect(cell).toBe(`'${value}`);
  });

  it('leaves ordinary text and plain numbers (also negative ones) as they are', () => {
    for (const v of ['cat', 'a=b', '0.25', '-1.5', '12', '1e-7', '']) expect(csvField(v)).toBe(v);
    expect(csvField('a,b')).toBe('"a,b"');
  });
});

describe('CSV exports', () => {
  let pw: PetsWorkspace;
  beforeAll(async () => {
    pw = await makePetsWorkspace(2);
  });
  afterAll(() => {
    pw?.cleanup();
    cleanupTempDirs();
  });

  it('eval-run export: raw output, error and image path cells are escaped', async () => {
    pw.db.prepare(`UPDATE samples SET original_path = '-x.jpg'`).run();
    const version = createVersion(pw.db, pw.datasetId, 'v-eval');
    const run = await createEvalRun(pw.db, {
      name: 'formula',
      versionId: version.id,
      split: 'all',
      modelId: pw.model.id,
      mode: 'classifier',
      classMapping: 'imagenet-cats-vs-dogs',
      seed: 1,
      nSamples: 4,
    });
    await runEval(pw.ws, run.id, {});
    pw.db.prepare(`UPDATE eval_samples SET raw_output = '=1+2', error = '+boom' WHERE run_id = ? AND position = 0`).run(run.id);
    const rows = parse(await exportRunCsv(pw.db, pw.ws, run.id), { columns: true }) as Record<string, string>[];
    expect(rows[0].raw_output).toBe(`'=1+2`);
    expect(rows[0].error).toBe(`'+boom`);
    expect(rows[0].image_path).toBe(`'-x.jpg`);
    expect(Number(rows[0].p_cat) + Number(rows[0].p_dog)).toBeCloseTo(1, 9);
  });
  it('dataset export: a label and a path that start with a formula character come out quoted', async () => {
    pw.db.prepare(`UPDATE classes SET name = '=cmd|'' /C calc''!A0' WHERE name = 'cat'`).run();
    pw.db.prepare(`UPDATE samples SET original_path = '@evil.jpg' WHERE id = (SELECT MIN(id) FROM samples)`).run();
    const version = createVersion(pw.db, pw.datasetId, 'v-formula');
    const dest = join(makeTempDir('vcs-out-'), 'csv');
    await runExport(pw.ws, { versionId: version.id, format: 'csv', destination: dest });
    const rows = parse(readFileSync(join(dest, 'labels.csv'), 'utf8'), { columns: true }) as { path: string; label: string }[];
    const labels = new Set(rows.map((r) => r.label));
    expect(labels).toEqual(new Set([`'=cmd|' /C calc'!A0`, 'dog']));
    for (const r of rows) expect(r.path).toMatch(/^images\//);
  });

});
