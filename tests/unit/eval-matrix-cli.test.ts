/** `studio eval --matrix` end to end: a real 2 × 2 prompt × model matrix with two tiny VLMs over real photos, printed as a table. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { cmdEval } from '../../src/main/cli/eval-command';
import { UsageError } from '../../src/main/cli/args';
import { cmdEvalMatrix } from '../../src/main/cli/eval-matrix-command';
import { getEvalBatch, listEvalBatches } from '../../src/main/evals/eval-batch-store';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { registerModel } from '../../src/main/models/model-registry';
import { bestCell, type EvalBatch } from '../../src/shared/eval-matrix';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let out: string[];
let err: string[];
let code: number;
let batch: EvalBatch;

// Model 1 by its registered name, model 2 as a folder (registered on the fly, like the single-run config).
const matrixYaml = (smolDir: string): string => `name: cli matrix
dataset: pets
dataset_version: v1
split: test
seed: 11
n_samples: 3
labels: [cat, dog]
prompts:
  - name: plain
  - name: one-word
    system_prompt: ""
    user_prompt: "Is this a cat or a dog? {{labels}} Answer with one word."
models:
  - tiny-lfm2
  - ${JSON.stringify(smolDir)}
modes: [scored]
`;

beforeAll(async () => {
  pw = await makePetsWorkspace(4);
  await registerModel(pw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
  const file = join(pw.root, 'matrix.yaml');
  writeFileSync(file, matrixYaml(ensureTinyVlm('smolvlm', 1)));
  out = [];
  err = [];
  code = await cmdEval(pw.ws, ['--matrix', file, '--workspace', pw.root], (l) => out.push(l), (l) => err.push(l));
  batch = listEvalBatches(pw.db, pw.datasetId)[0];
});
afterAll(() => pw?.cleanup());

describe('eval --matrix (2 prompts × 2 tiny VLMs)', () => {
  it('runs every cell to done and exits 0', () => {
    expect(code).toBe(0);
    expect(err[0]).toMatch(/^Created matrix #\d+ "cli matrix": 4 cells on 3 samples each$/);
    expect(err.filter((l) => /^Cell \d\/4: eval #\d+/.test(l))).toHaveLength(4);
    expect(batch).toMatchObject({ name: 'cli matrix', status: 'done', plannedCount: 12, doneCount: 12, split: 'test', seed: 11 });
    expect(batch.models.map((m) => m.name)).toEqual(['tiny-lfm2', 'smolvlm-s1-v1']);
  });

  it('every cell evaluated the same samples in the same order', () => {
    const plans = batch.cells.map((c) => evalSampleRows(pw.db, c.runId).map((r) => `${r.sampleId}:${r.truth}`));
    for (const plan of plans) expect(plan).toEqual(plans[0]);
    expect(batch.cells.map((c) => getEvalRun(pw.db, c.runId).batchId)).toEqual([batch.id, batch.id, batch.id, batch.id]);
  });

  it('prints one table per metric with the stored figures, rows = prompts, columns = models, best cell starred', () => {
    const text = out.join('\n');
    expect(out[0]).toBe(`Matrix #${batch.id} "cli matrix": 2 prompt(s) × 2 model(s) × 1 mode(s) on 3 samples (test, seed 11) — done`);
    const accIdx = out.indexOf('Accuracy:');
    expect(out[accIdx + 1]).toMatch(/^prompt \\ model\s+tiny-lfm2\s+smolvlm-s1-v1$/);
    const best = bestCell(getEvalBatch(pw.db, batch.id).cells)?.runId;
    for (const [i, prompt] of ['plain', 'one-word'].entries()) {
      const cells = batch.cells.filter((c) => c.promptIndex === i);
      const row = out[accIdx + 3 + i].trim().split(/\s{2,}/);
      expect(row[0]).toBe(prompt);
      expect(row.slice(1)).toEqual(cells.map((c) => `${c.runId === best ? '*' : ''}${getEvalRun(pw.db, c.runId).metrics?.accuracy.toFixed(3)}`));
    }
    for (const title of ['Balanced accuracy:', 'Off-label rate:', 'p50 latency:']) expect(out).toContain(title);
    expect(text).toContain('* best cell (highest accuracy)');
    for (const c of batch.cells) expect(text).toContain(`run #${c.runId}`);
    const p50 = getEvalRun(pw.db, batch.cells[3].runId).metrics?.latency?.p50Ms;
    expect(text).toContain(`${p50?.toFixed(1)} ms`);
  });

  it('--resume-matrix on a finished matrix runs nothing and prints the same matrix', async () => {
    const again: string[] = [];
    const log: string[] = [];
    expect(await cmdEval(pw.ws, ['--resume-matrix', String(batch.id)], (l) => again.push(l), (l) => log.push(l))).toBe(0);
    expect(again).toEqual(out);
    expect(log).toEqual([]);
  });

  it('Ctrl-C stops after the sample in flight and cancels the cells not started; --resume-matrix finishes them and exits 0', async () => {
    const yaml = join(pw.root, 'partial.yaml');
    writeFileSync(yaml, 'name: partial\ndataset: pets\nsplit: test\nseed: 4\nn_samples: 3\nprompts: [{name: a}, {name: b}]\nmodels: [tiny-lfm2]\nmodes: [constrained]\n');
    const stop = new AbortController();
    const lines: string[] = [];
    const log: string[] = [];
    const onErr = (l: string) => {
      log.push(l);
      if (l.includes('Evaluated 1 of 3')) stop.abort(); // what the SIGINT handler does
    };
    expect(await cmdEvalMatrix(pw.ws, ['--matrix', yaml], (l) => lines.push(l), onErr, stop.signal)).toBe(1);
    const partial = listEvalBatches(pw.db, pw.datasetId)[0];
    expect(partial.name).toBe('partial');
    expect(partial.cells.map((c) => [c.status, c.doneCount])).toEqual([['cancelled', 1], ['cancelled', 0]]);
    expect(lines[0]).toMatch(/— cancelled$/);
    expect(lines.join('\n')).toMatch(/^a\s+\d\.\d{3} \(cancelled 1\/3\)$/m);
    expect(lines.join('\n')).toMatch(/^b\s+cancelled$/m);
    expect(log.at(-1)).toBe(`Matrix #${partial.id} is cancelled; resume with: studio eval --resume-matrix ${partial.id}`);

    const again: string[] = [];
    const log2: string[] = [];
    expect(await cmdEval(pw.ws, ['--resume-matrix', String(partial.id)], (l) => again.push(l), (l) => log2.push(l))).toBe(0);
    expect(log2.filter((l) => l.startsWith('Cell '))).toEqual([
      `Cell 1/2: eval #${partial.cells[0].runId} "partial · a · tiny-lfm2 · constrained"`,
      `Cell 2/2: eval #${partial.cells[1].runId} "partial · b · tiny-lfm2 · constrained"`,
    ]);
    expect(log2.filter((l) => l.includes('Evaluated'))).toHaveLength(2 + 3); // cell a: only its 2 unfinished samples
    expect(getEvalBatch(pw.db, partial.id)).toMatchObject({ status: 'done', doneCount: 6 });
    expect(again[0]).toMatch(/— done$/);
  });

  it('usage errors: both or neither of --matrix/--resume-matrix, a missing file, a bad config', async () => {
    const file = join(pw.root, 'matrix.yaml');
    await expect(cmdEval(pw.ws, ['--matrix', file, '--resume-matrix', '1'], () => {}, () => {})).rejects.toThrow(UsageError);
    await expect(cmdEval(pw.ws, ['--resume-matrix', 'x'], () => {}, () => {})).rejects.toThrow(/takes a matrix id/);
    await expect(cmdEval(pw.ws, ['--resume-matrix', '999'], () => {}, () => {})).rejects.toThrow(/eval batch 999 not found/);
    await expect(cmdEval(pw.ws, ['--matrix', join(pw.root, 'missing.yaml')], () => {}, () => {})).rejects.toThrow(/no such file/);
    const bad = join(pw.root, 'bad.yaml');
    writeFileSync(bad, 'dataset: pets\nprompts: [{name: a}]\nmodels: [tiny-lfm2]\nmodes: [scored]\nmodel: x\n');
    await expect(cmdEval(pw.ws, ['--matrix', bad], () => {}, () => {})).rejects.toThrow(/unknown key "model" at line 5, column 1/);
    const unknownModel = join(pw.root, 'unknown-model.yaml');
    writeFileSync(unknownModel, 'dataset: pets\nprompts: [{name: a}]\nmodels: [nope]\nmodes: [scored]\n');
    await expect(cmdEval(pw.ws, ['--matrix', unknownModel], () => {}, () => {})).rejects.toThrow(/Model "nope" is neither a registered model/);
  });
});
