/** Evals of a base and its decoder-only fine-tunes running together in one thread create the shared sessions once and score as each run alone. */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTinyVlm, writeFineTuneCopy } from '../../tools/tiny-vlm';
import type { RegisteredModel } from '../../src/shared/eval-types';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows } from '../../src/main/evals/eval-store';
import { runEval } from '../../src/main/evals/run-eval';
import { registerModel } from '../../src/main/models/model-registry';
import { loadVlm } from '../../src/main/inference/vlm';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let models: RegisteredModel[];

beforeAll(async () => {
  pw = await makePetsWorkspace(3);
  const base = ensureTinyVlm('lfm2-vl', 1);
  const dirs = [base];
  for (const seed of [31, 32, 33]) {
    const dir = join(makeTempDir(), `ft-${seed}`);
    writeFineTuneCopy(base, dir, ['decoder_model_merged'], { seed });
    dirs.push(dir);
  }
  models = [];
  for (const [i, dir] of dirs.entries()) models.push(await registerModel(pw.db, dir, { name: `m${i}` }));
});
afterAll(() => {
  pw?.cleanup();
  cleanupTempDirs();
});

describe('concurrent VLM evals of fine-tunes', () => {
  it('with the base loaded, evals of it and 3 decoder-only fine-tunes create only the 3 new decoders and score as each run alone', async () => {
    const scored = async (model: RegisteredModel, name: string) => {
      const run = await createEvalRun(pw.db, { name, versionId: pw.version.id, split: 'all', modelId: model.id, mode: 'scored', seed: 5, nSamples: 4, dtype: 'q8' });
      return run.id;
    };
    const rowsOf = (runId: number) => evalSampleRows(pw.db, runId).map((r) => [r.sampleId, r.prediction, r.probabilities]);

    const alone: unknown[] = [];
    for (const m of models) {
      const id = await scored(m, `alone-${m.name}`);
      expect((await runEval(pw.ws, id)).status).toBe('done');
      alone.push(rowsOf(id));
    }
    // The fine-tunes really differ from the base, or the comparison below would prove nothing.
    expect(alone[1]).not.toEqual(alone[0]);

    // The base stays loaded throughout, so what the runs create does not depend on how their loads interleave.
    const held = await loadVlm({ modelDir: models[0].path, dtype: 'q8' });
    const create = vi.spyOn(ort.InferenceSession, 'create');
    try {
      const ids = await Promise.all(models.map((m) => scored(m, `together-${m.name}`)));
      const runs = await Promise.all(ids.map((id) => runEval(pw.ws, id)));
      expect(runs.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
      // Only the three fine-tuned decoders are new: vision, embed and the base decoder come from the held base.
      expect(create).toHaveBeenCalledTimes(3);
      expect(ids.map(rowsOf)).toEqual(alone);
    } finally {
      create.mockRestore();
      await held.dispose();
    }
  });
});
