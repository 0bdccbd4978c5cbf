/** Matrix batches in a real SQLite workspace: one run per cell on the same seeded plan, axis checks, clean roll-back, derived status. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { batchStatus, bestCell, type CreateBatchParams, type MatrixCell } from '../../src/shared/eval-matrix';
import { batchRunIds, createEvalBatch, getEvalBatch, listEvalBatches } from '../../src/main/evals/eval-batch-store';
import { evalSampleRows, getEvalRun, listEvalRuns } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { parseMatrixConfig } from '../../src/main/evals/eval-matrix-config';
import { resolveMatrixConfig } from '../../src/main/evals/eval-matrix-resolve';
import { registerModel } from '../../src/main/models/model-registry';
import { savePromptVersion } from '../../src/main/prompts/prompt-store';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let lfm: RegisteredModel;
let smol: RegisteredModel;
let scratch: string;

const params = (over: Partial<CreateBatchParams> = {}): CreateBatchParams => ({
  name: 'm',
  versionId: pw.version.id,
  split: 'all',
  seed: 5,
  nSamples: 3,
  prompts: [
    { kind: 'inline', name: 'short', systemPrompt: '', userPrompt: 'Cat or dog? {{labels}}' },
    { kind: 'inline', name: 'long', systemPrompt: 'You label photos.', userPrompt: 'Which animal is shown?\n{{labels}}\nOne word.' },
  ],
  modelIds: [lfm.id, smol.id],
  modes: ['scored'],
  ...over,
});

beforeAll(async () => {
  pw = await makePetsWorkspace(3);
  lfm = await registerModel(pw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
  smol = await registerModel(pw.db, ensureTinyVlm('smolvlm', 1), { name: 'tiny-smol' });
  scratch = mkdtempSync(join(tmpdir(), 'vcs-batch-'));
});
afterAll(() => {
  pw?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('eval batches (prompt × model matrix)', () => {
  it('creates one queued run per cell, each linked to the batch, all on the same planned samples', async () => {
    const batch = await createEvalBatch(pw.db, params({ name: 'two by two' }));
    expect(batch).toMatchObject({ name: 'two by two', split: 'all', seed: 5, nSamples: 3, modes: ['scored'], status: 'running', plannedCount: 12, doneCount: 0 });
    expect(batch.models).toEqual([{ id: lfm.id, name: 'tiny-lfm2' }, { id: smol.id, name: 'tiny-smol' }]);
    expect(batch.prompts.map((p) => [p.name, p.promptVersionId])).toEqual([['short', null], ['long', null]]);
    expect(batch.cells.map((c) => [c.promptIndex, c.modelIndex, c.modeIndex, c.status, c.metrics])).toEqual([
      [0, 0, 0, 'queued', null],
      [0, 1, 0, 'queued', null],
      [1, 0, 0, 'queued', null],
      [1, 1, 0, 'queued', null],
    ]);
    const runs = batchRunIds(pw.db, batch.id).map((id) => getEvalRun(pw.db, id));
    expect(runs.map((r) => [r.batchId, r.modelId, r.mode, r.userPrompt])).toEqual([
      [batch.id, lfm.id, 'scored', 'Cat or dog? {{labels}}'],
      [batch.id, smol.id, 'scored', 'Cat or dog? {{labels}}'],
      [batch.id, lfm.id, 'scored', 'Which animal is shown?\n{{labels}}\nOne word.'],
      [batch.id, smol.id, 'scored', 'Which animal is shown?\n{{labels}}\nOne word.'],
    ]);
    const plans = runs.map((r) => evalSampleRows(pw.db, r.id).map((s) => s.sampleId));
    expect(plans[0]).toHaveLength(3);
    for (const plan of plans) expect(plan).toEqual(plans[0]);
    expect(listEvalBatches(pw.db, pw.datasetId).map((b) => b.id)).toContain(batch.id);
  });

  it('saved prompt versions as rows: named by the version, texts expanded, every cell run linked to its version', async () => {
    const v1 = savePromptVersion(pw.db, { name: 'cats-dogs', systemPrompt: '', userPrompt: 'Cat or dog? {{labels}}' }).version;
    const v2 = savePromptVersion(pw.db, {
      promptId: v1.promptId,
      systemPrompt: 'You label pets.',
      userPrompt: '{{label_descriptions}}\nWhich one? {{labels}}',
      labelDescriptions: { cat: 'a feline', dog: 'a canine' },
    }).version;
    const batch = await createEvalBatch(
      pw.db,
      params({
        name: 'versions',
        prompts: [{ kind: 'version', promptVersionId: v2.id }, { kind: 'version', promptVersionId: v1.id }, params().prompts[0]],
        modelIds: [lfm.id],
      }),
    );
    expect(batch.prompts).toEqual([
      { name: 'cats-dogs v2', systemPrompt: 'You label pets.', userPrompt: v2.expandedUserPrompt, promptVersionId: v2.id },
      { name: 'cats-dogs v1', systemPrompt: '', userPrompt: 'Cat or dog? {{labels}}', promptVersionId: v1.id },
      { name: 'short', systemPrompt: '', userPrompt: 'Cat or dog? {{labels}}', promptVersionId: null },
    ]);
    expect(v2.expandedUserPrompt).toContain('a feline');
    const runs = batchRunIds(pw.db, batch.id).map((id) => getEvalRun(pw.db, id));
    expect(runs.map((r) => [r.promptVersionId, r.systemPrompt, r.userPrompt])).toEqual([
      [v2.id, 'You label pets.', v2.expandedUserPrompt],
      [v1.id, '', 'Cat or dog? {{labels}}'],
      // An inline row with a saved version's exact text links to that version, like any run.
      [v1.id, '', 'Cat or dog? {{labels}}'],
    ]);
    const yaml = join(scratch, 'versions.yaml');
    const config = parseMatrixConfig(`dataset: pets\nprompts:\n  - prompt_version: "cats-dogs v1"\n  - prompt_version: cats-dogs\nmodels: [tiny-lfm2]\nmodes: [scored]\n`);
    const resolved = await resolveMatrixConfig(pw.db, config, { baseDir: dirname(yaml) });
    expect(resolved.prompts).toEqual([{ kind: 'version', promptVersionId: v1.id }, { kind: 'version', promptVersionId: v2.id }]);
    const bad = parseMatrixConfig(`dataset: pets\nprompts: [{prompt_version: cats-dogs v9}]\nmodels: [tiny-lfm2]\nmodes: [scored]\n`);
    await expect(resolveMatrixConfig(pw.db, bad, { baseDir: scratch })).rejects.toThrow(/No prompt version "cats-dogs v9" \(prompts: cats-dogs \(v1–v2\)/);
    await expect(createEvalBatch(pw.db, params({ prompts: [{ kind: 'version', promptVersionId: 99_999 }] }))).rejects.toThrow(/prompt version 99999/);
  });

  it('a finished cell carries its metrics; the batch counts its progress', async () => {
    const batch = await createEvalBatch(pw.db, params({ name: 'one cell run', prompts: params().prompts.slice(0, 1), modelIds: [lfm.id] }));
    const run = await runEval(pw.ws, batch.cells[0].runId);
    const after = getEvalBatch(pw.db, batch.id);
    expect(after).toMatchObject({ status: 'done', plannedCount: 3, doneCount: 3 });
    const m = run.metrics;
    expect(after.cells[0]).toMatchObject({
      status: 'done',
      partial: false,
      metrics: { n: 3, accuracy: m?.accuracy, balancedAccuracy: m?.balancedAccuracy, offLabelRate: m?.offLabelRate, p50Ms: m?.latency?.p50Ms },
    });
    expect(bestCell(after.cells)?.runId).toBe(run.id);
  });

  it('refuses bad axes before writing anything', async () => {
    const before = listEvalRuns(pw.db).length;
    const dupPrompt = params().prompts.map((p) => ({ ...p, name: 'same' }));
    await expect(createEvalBatch(pw.db, params({ prompts: dupPrompt }))).rejects.toThrow(/Two prompts of the matrix are named "same"/);
    await expect(createEvalBatch(pw.db, params({ modelIds: [lfm.id, lfm.id] }))).rejects.toThrow(/listed twice/);
    await expect(createEvalBatch(pw.db, params({ modelIds: [pw.model.id] }))).rejects.toThrow(/plain ONNX classifier/);
    await expect(createEvalBatch(pw.db, params({ modes: ['classifier' as 'raw'] }))).rejects.toThrow(/Matrix modes must be raw, constrained, scored/);
    await expect(createEvalBatch(pw.db, params({ prompts: [] }))).rejects.toThrow(/at least one prompt/);
    await expect(createEvalBatch(pw.db, params({ nSamples: 99 }))).rejects.toThrow(/n_samples is 99/);
    expect(listEvalRuns(pw.db)).toHaveLength(before);
  });

  it('a cell that cannot be created rolls back the cells made before it and the batch', async () => {
    const gone = join(scratch, 'gone-vlm');
    cpSync(ensureTinyVlm('lfm2-vl', 1), gone, { recursive: true });
    const goneModel = await registerModel(pw.db, gone, { name: 'soon-gone' });
    rmSync(gone, { recursive: true, force: true });
    const runsBefore = listEvalRuns(pw.db).length;
    const batchesBefore = listEvalBatches(pw.db, pw.datasetId).length;
    await expect(createEvalBatch(pw.db, params({ modelIds: [lfm.id, goneModel.id] }))).rejects.toThrow(
      /The folder of model "soon-gone" is gone.* \(1 cell created before was removed again\)/,
    );
    expect(listEvalRuns(pw.db)).toHaveLength(runsBefore);
    expect(listEvalBatches(pw.db, pw.datasetId)).toHaveLength(batchesBefore);
    expect(pw.db.prepare('SELECT COUNT(*) FROM eval_batch_cells WHERE run_id NOT IN (SELECT id FROM eval_runs)').pluck().get()).toBe(0);
  });

  it('deleting a cell run drops the cell; the batch status is derived from what is left', async () => {
    const batch = await createEvalBatch(pw.db, params({ name: 'shrinks', modelIds: [lfm.id] }));
    pw.db.prepare('DELETE FROM eval_runs WHERE id = ?').run(batch.cells[0].runId);
    expect(getEvalBatch(pw.db, batch.id).cells.map((c) => c.runId)).toEqual([batch.cells[1].runId]);
  });

  it('status: live while any cell is queued or running; failed beats cancelled beats interrupted', () => {
    expect(batchStatus(['done', 'queued'])).toBe('running');
    expect(batchStatus(['done', 'running', 'failed'])).toBe('running');
    expect(batchStatus(['done', 'done'])).toBe('done');
    expect(batchStatus(['done', 'cancelled', 'failed'])).toBe('failed');
    expect(batchStatus(['interrupted', 'cancelled'])).toBe('cancelled');
    expect(batchStatus(['interrupted', 'done'])).toBe('interrupted');
  });

  it('best cell: highest accuracy, then balanced accuracy, then lower p50; partial cells never win', () => {
    const cell = (runId: number, accuracy: number, balancedAccuracy: number, p50Ms: number, partial = false): MatrixCell => ({
      runId,
      promptIndex: 0,
      modelIndex: runId,
      modeIndex: 0,
      status: partial ? 'running' : 'done',
      plannedCount: 4,
      doneCount: 4,
      metrics: { n: 4, accuracy, balancedAccuracy, offLabelRate: 0, p50Ms },
      partial,
    });
    expect(bestCell([cell(1, 0.5, 0.5, 10), cell(2, 0.75, 0.6, 30), cell(3, 0.75, 0.7, 50), cell(4, 1, 1, 1, true)])?.runId).toBe(3);
    expect(bestCell([cell(1, 0.5, 0.5, 10), cell(2, 0.5, 0.5, 9)])?.runId).toBe(2);
    expect(bestCell([])).toBeNull();
  });
});
