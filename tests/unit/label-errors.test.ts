/** Label-errors finder: confident learning against a hand-worked example, then on a real MobileNetV2 run over real photos. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun } from '../../src/shared/eval-types';
import { findLabelIssues, roundPreservingSum, type ClRow } from '../../src/main/finders/label-errors/confident-learning';
import { labelErrorsFinder } from '../../src/main/finders/label-errors/index';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { applyEdit } from '../../src/main/datasets/sample-edits';
import { runImport } from '../../src/main/imports/import-runner';
import { registerModel } from '../../src/main/models/model-registry';
import { createVersion } from '../../src/main/versions/snapshot';
import { copyPetsSpread } from '../fixtures/real-photos';
import { writeFakeVlmFolder } from '../support/fake-model-folder';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';
import { finderContext } from './helpers/finder-context';

describe('confident learning on a hand-worked example', () => {
  // Classes A=0, B=1, C=2. Rows 3, 7 and 11 (1-based) are the planted errors; row 10 is merely ambiguous.
  const rows: ClRow[] = [
    { label: 0, probs: [0.9, 0.05, 0.05] }, // 1
    { label: 0, probs: [0.8, 0.1, 0.1] }, // 2
    { label: 0, probs: [0.1, 0.85, 0.05] }, // 3: labelled A, clearly B
    { label: 0, probs: [0.6, 0.3, 0.1] }, // 4: p_A equals t_A exactly (counts as confident)
    { label: 1, probs: [0.1, 0.8, 0.1] }, // 5
    { label: 1, probs: [0.2, 0.7, 0.1] }, // 6
    { label: 1, probs: [0.7, 0.2, 0.1] }, // 7: labelled B, clearly A
    { label: 2, probs: [0.1, 0.1, 0.8] }, // 8
    { label: 2, probs: [0.05, 0.05, 0.9] }, // 9
    { label: 2, probs: [0.3, 0.4, 0.3] }, // 10: no class reaches its threshold → not in the joint
    { label: 2, probs: [0.75, 0.1, 0.15] }, // 11: labelled C, clearly A
  ];

  it('computes the thresholds, the confident joint, its calibration and the ranking worked out by hand', () => {
    const r = findLabelIssues(rows, 3);
    // t_A = (.9+.8+.1+.6)/4 = .6; t_B = (.8+.7+.2)/3 = .5667; t_C = (.8+.9+.3+.15)/4 = .5375
    expect(r.thresholds[0]).toBeCloseTo(0.6, 12);
    expect(r.thresholds[1]).toBeCloseTo(1.7 / 3, 12);
    expect(r.thresholds[2]).toBeCloseTo(0.5375, 12);
    // Confident labels: 1,2,4→A 3→B | 5,6→B 7→A | 8,9→C 11→A, 10 none.
    expect(r.joint).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [1, 0, 2],
    ]);
    // Row C counts 3 but 4 samples are labelled C: [1,0,2]·4/3 = [1.33, 0, 2.67] → rounded keeping the sum 4 → [1, 0, 3].
    expect(r.calibrated).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [1, 0, 3],
    ]);
    // Prune by noise rate: A→B prunes the 1 A-row with the largest p_B − p_A (row 3, +.75); B→A row 7 (+.5);
    // C→A row 11 (p_A − p_C = +.6, ahead of row 10's 0). Ranked by self-confidence: 3 (.10), 11 (.15), 7 (.20).
    expect(r.issues.map((i) => [i.index + 1, i.selfConfidence, i.suggested])).toEqual([
      [3, 0.1, 1],
      [11, 0.15, 0],
      [7, 0.2, 0],
    ]);
  });

  it('never flags a row whose argmax is its label, and keeps at least one row per class', () => {
    // Both rows labelled A look like B, so the joint says "prune 2 of 2"; the cap leaves one A row unflagged.
    const r = findLabelIssues(
      [
        { label: 0, probs: [0.2, 0.8] },
        { label: 0, probs: [0.3, 0.7] },
        { label: 1, probs: [0.1, 0.9] },
        { label: 1, probs: [0.6, 0.4] }, // labelled B, argmax A, but t_A = .25 and p_B = .4 < t_B = .65 → confident A
      ],
      2,
    );
    expect(r.joint).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(r.issues.map((i) => [i.index, i.selfConfidence])).toEqual([
      [0, 0.2],
      [3, 0.4],
    ]);
    expect(() => findLabelIssues([{ label: 0, probs: [1] }], 1)).toThrow(/at least 2 classes/);
    expect(() => findLabelIssues([{ label: 2, probs: [0.5, 0.5] }], 2)).toThrow(/expected 2 classes/);
  });

  it('rounds keeping the sum', () => {
    expect(roundPreservingSum([4 / 3, 0, 8 / 3])).toEqual([1, 0, 3]);
    expect(roundPreservingSum([0.5, 0.5, 1])).toEqual([1, 0, 1]);
    expect(roundPreservingSum([2, 3])).toEqual([2, 3]);
  });
});

describe('label-errors finder over a real classifier run', () => {
  let pw: PetsWorkspace;
  let run: EvalRun;
  const tmp: string[] = [];

  beforeAll(async () => {
    pw = await makePetsWorkspace(10);
    run = await runEval(
      pw.ws,
      (
        await createEvalRun(pw.db, {
          name: 'mobilenet',
          versionId: pw.version.id,
          split: 'all',
          modelId: pw.model.id,
          mode: 'classifier',
          seed: 1,
          nSamples: null,
          classMapping: 'imagenet-cats-vs-dogs',
        })
      ).id,
    );
  }, 120_000);
  afterAll(() => {
    pw?.cleanup();
    for (const d of tmp) rmSync(d, { recursive: true, force: true });
  });

  it('ranks samples relabelled after the snapshot first, with the run’s class as the suggestion', async () => {
    expect(run.status).toBe('done');
    const rows = evalSampleRows(pw.db, run.id);
    // Two confidently-classified photos, one of each class, get the other label in the dataset (not in the snapshot).
    const cat = rows.filter((r) => r.truth === 'cat').sort((a, b) => (b.probabilities as number[])[0] - (a.probabilities as number[])[0])[0];
    const dog = rows.filter((r) => r.truth === 'dog').sort((a, b) => (b.probabilities as number[])[1] - (a.probabilities as number[])[1])[0];
    const classId = (name: string) => pw.db.prepare('SELECT id FROM classes WHERE dataset_id = ? AND name = ?').pluck().get(pw.datasetId, name) as number;
    applyEdit(pw.db, pw.datasetId, { kind: 'relabel', sampleIds: [cat.sampleId], classId: classId('dog') });
    applyEdit(pw.db, pw.datasetId, { kind: 'relabel', sampleIds: [dog.sampleId], classId: classId('cat') });

    const ctx = finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: run.id });
    const suspects = await labelErrorsFinder.run(ctx);
    expect(suspects.slice(0, 2).map((s) => s.sampleId).sort()).toEqual([cat.sampleId, dog.sampleId].sort());
    const byId = new Map(suspects.map((s) => [s.sampleId, s]));
    expect(byId.get(cat.sampleId)).toMatchObject({ suggestedLabel: 'cat', group: null, detail: { givenLabel: 'dog', runId: run.id } });
    expect(byId.get(dog.sampleId)).toMatchObject({ suggestedLabel: 'dog', detail: { givenLabel: 'cat' } });
    expect(byId.get(cat.sampleId)?.reason).toMatch(/^labelled dog, looks like cat \(p [01]\.\d{3}\); self-confidence [01]\.\d{3}$/);
    for (let i = 1; i < suspects.length; i++) expect(suspects[i].score).toBeLessThanOrEqual(suspects[i - 1].score);
    for (const s of suspects) expect(s.score).toBeCloseTo(1 - (s.detail.selfConfidence as number), 12);
    expect(ctx.messages.at(-1)).toMatch(/likely label errors among 20 samples$/);

    // A dropped sample is not in the finder's samples: its run row is skipped, not ranked.
    applyEdit(pw.db, pw.datasetId, { kind: 'drop', sampleIds: [cat.sampleId], reason: 'test' });
    const after = await labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: run.id }));
    expect(after.map((s) => s.sampleId)).not.toContain(cat.sampleId);
  });

  it('ranks from a scored VLM run too (tiny LFM2-VL): the suspects are exactly the method’s issues on the run’s probabilities', async () => {
    const vlm = await registerModel(pw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
    const planned = await createEvalRun(pw.db, { name: 'scored', versionId: pw.version.id, split: 'all', modelId: vlm.id, mode: 'scored', seed: 3, nSamples: 10 });
    const scored = await runEval(pw.ws, planned.id);
    expect(scored.status).toBe('done');
    const ctx = finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: scored.id });
    const current = new Map(ctx.samples.map((s) => [s.sampleId, s.className]));
    const rows = evalSampleRows(pw.db, scored.id).filter((r) => r.probabilities !== null && current.has(r.sampleId));
    expect(rows.length).toBeGreaterThan(0);
    const expected = findLabelIssues(
      rows.map((r) => ({ label: scored.labels.indexOf(current.get(r.sampleId) as string), probs: r.probabilities as number[] })),
      scored.labels.length,
    ).issues.map((i) => [rows[i.index].sampleId, scored.labels[i.suggested]]);
    const suspects = await labelErrorsFinder.run(ctx);
    expect(suspects.map((s) => [s.sampleId, s.suggestedLabel])).toEqual(expected);
    expect(suspects.length).toBeGreaterThan(0); // 3 with this seeded tiny model: the comparison above is not vacuous
    for (const s of suspects) expect(s.suggestedLabel).not.toBe(s.detail.givenLabel);
  }, 300_000);

  it('refuses a run of another dataset, a run without probabilities and a run not evaluated yet, in plain words', async () => {
    const src = mkdtempSync(join(tmpdir(), 'vcs-le-other-'));
    tmp.push(src);
    copyPetsSpread(src, 2);
    const other = await runImport(pw.ws, { source: src, format: 'imagefolder', datasetName: 'other' }, {});
    const otherVersion = createVersion(pw.db, other.datasetId, 'o1');
    const base = { split: 'all' as const, seed: 1, nSamples: null };
    const otherRun = await createEvalRun(pw.db, { ...base, name: 'elsewhere', versionId: otherVersion.id, modelId: pw.model.id, mode: 'classifier', classMapping: 'imagenet-cats-vs-dogs' });
    await expect(labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: otherRun.id }))).rejects.toThrow(
      `Eval run "elsewhere" (#${otherRun.id}) evaluated dataset "other", not "pets"; pick a run on this dataset`,
    );

    // Stand-in VLM folder (filler weights): a raw run is refused before any inference, so it is never loaded.
    const vlmDir = mkdtempSync(join(tmpdir(), 'vcs-le-vlm-'));
    tmp.push(vlmDir);
    writeFakeVlmFolder(vlmDir, { modelType: 'lfm2_vl', dtypes: ['q4'] });
    const vlm = await registerModel(pw.db, vlmDir, { name: 'stand-in-vlm' });
    const rawRun = await createEvalRun(pw.db, { ...base, name: 'raw answers', versionId: pw.version.id, modelId: vlm.id, mode: 'raw' });
    await expect(labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: rawRun.id }))).rejects.toThrow(
      /used raw decoding, which stores an answer but no class probabilities; finding label errors needs a scored run/,
    );

    const queued = await createEvalRun(pw.db, { ...base, name: 'queued', versionId: pw.version.id, modelId: pw.model.id, mode: 'classifier', classMapping: 'imagenet-cats-vs-dogs' });
    await expect(labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: queued.id }))).rejects.toThrow(
      `Eval run "queued" (#${queued.id}) cannot rank label errors: it has not evaluated any sample yet (status queued)`,
    );
    await expect(labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: 9999 }))).rejects.toThrow(/eval run 9999 not found/);

    const aborted = new AbortController();
    aborted.abort();
    await expect(labelErrorsFinder.run(finderContext<'label-errors'>(pw.ws, pw.datasetId, { runId: run.id }, aborted.signal))).rejects.toThrow();
  });
});
