/**
 * The fine-tune loop's evaluation with real parts and no Python: real photos in a real workspace, tiny LFM2-VL exports
 * (the base and seeded-noise "fine-tuned" copies registered with lineage), real worker-thread eval jobs. A done
 * finetune job row is seeded and its jobs:changed event (what the JobManager emits when a job settles) starts the loop.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudioCore, type StudioCore } from '../../src/main/api/studio-core';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { evalSampleRows, getEvalRun } from '../../src/main/evals/eval-store';
import { finetunedParams } from '../../src/main/finetunes/finetune-baseline';
import { getEvaluation, listPhases, saveEvaluation } from '../../src/main/finetunes/finetune-state-store';
import { validateFinetune } from '../../src/main/finetunes/finetune-validate';
import { registerModel } from '../../src/main/models/model-registry';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { assignSplits } from '../../src/main/splits/stratified-split';
import { createVersion } from '../../src/main/versions/snapshot';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { FinetuneSpec } from '../../src/shared/finetune-types';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { insertDoneFinetuneJob, registerFinetunedCopy, seededExportDir, seededSpec } from '../fixtures/finetune-eval-seed';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pets: PetsWorkspace;
let core: StudioCore;
let base: RegisteredModel;
/** Test-split samples per run (makePetsWorkspace splits 50/0/50). */
const PER_CLASS = 4;

/** Seeds a done fine-tune of the base with its own registered copy and fires the event the JobManager emits on settling. */
async function finishFinetune(jobId: string, spec: FinetuneSpec, seed: number): Promise<RegisteredModel> {
  const model = await registerFinetunedCopy(core.workspace.db, base, spec, jobId, seededExportDir(core.workspace.root, jobId), seed);
  insertDoneFinetuneJob(core.workspace.db, jobId, spec, model);
  core.bus.emit('jobs:changed', core.jobs.get(jobId));
  return model;
}

const runsOf = (modelId: number): EvalRun[] => core.workspace.db.prepare('SELECT id FROM eval_runs WHERE model_id = ? ORDER BY id').pluck(true).all(modelId).map((id) => getEvalRun(core.workspace.db, id as number));
const configOf = (r: EvalRun) => ({ versionId: r.versionId, split: r.split, mode: r.mode, systemPrompt: r.systemPrompt, userPrompt: r.userPrompt, labels: r.labels, seed: r.seed, nSamples: r.nSamples, device: r.device, dtype: r.dtype });
const sampleIds = (runId: number) => evalSampleRows(core.workspace.db, runId).map((r) => r.sampleId);

beforeAll(async () => {
  pets = await makePetsWorkspace(PER_CLASS);
  base = await registerModel(pets.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
  core = createStudioCore(pets.ws);
}, 120_000);

afterAll(async () => {
  await core?.close();
  pets?.cleanup();
});

describe('fine-tune evaluation (tiny LFM2-VL, real eval jobs)', () => {
  let firstBaseline: EvalRun;

  it('creates the baseline run of the base, then evaluates the fine-tune with the identical configuration', async () => {
    const spec = seededSpec(base.id, pets.version.id, { mode: 'constrained' });
    const model = await finishFinetune('ft-a', spec, 11);
    await core.finetuneEvals.settled('ft-a');
    const ev = getEvaluation(core.workspace.db, 'ft-a');
    expect(ev, JSON.stringify(ev)).toMatchObject({ state: 'done', error: null });
    firstBaseline = getEvalRun(core.workspace.db, ev!.baselineRunId!);
    const finetuned = getEvalRun(core.workspace.db, ev!.finetunedRunId!);
    expect(firstBaseline).toMatchObject({ modelId: base.id, status: 'done', split: 'test', mode: 'constrained', systemPrompt: spec.systemPrompt, userPrompt: spec.userPrompt, seed: 5, nSamples: null });
    expect(finetuned).toMatchObject({ modelId: model.id, status: 'done' });
    expect(configOf(finetuned)).toEqual(configOf(firstBaseline));
    expect(sampleIds(finetuned.id)).toEqual(sampleIds(firstBaseline.id));
    expect(firstBaseline.metrics?.n).toBe(PER_CLASS);
    expect(finetuned.metrics?.n).toBe(PER_CLASS);
    expect(runsOf(base.id)).toHaveLength(1);
    expect(listPhases(core.workspace.db, 'ft-a').map((p) => p.phase)).toEqual(['evaluating', 'done']);
    expect(core.jobs.get('ft-a').status).toBe('done');
  });

  it('a repeated done event neither re-evaluates nor creates runs', async () => {
    const before = core.workspace.db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get();
    core.bus.emit('jobs:changed', core.jobs.get('ft-a'));
    await core.finetuneEvals.settled('ft-a');
    expect(core.workspace.db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get()).toBe(before);
    expect(getEvaluation(core.workspace.db, 'ft-a')?.state).toBe('done');
  });

  it('reuses an equivalent done baseline of the base instead of creating one', async () => {
    await finishFinetune('ft-b', seededSpec(base.id, pets.version.id, { mode: 'constrained' }), 12);
    await core.finetuneEvals.settled('ft-b');
    expect(getEvaluation(core.workspace.db, 'ft-b')).toMatchObject({ state: 'done', baselineRunId: firstBaseline.id });
    expect(runsOf(base.id)).toHaveLength(1);
  });

  it('an explicit baselineRunId is reused as is: the fine-tune repeats its mode, split and sample count', async () => {
    const own = await createEvalRun(core.workspace.db, { name: 'base scored 3', versionId: pets.version.id, split: 'all', modelId: base.id, mode: 'scored', systemPrompt: 'Look.', userPrompt: 'Pet?\n{{labels}}', seed: 9, nSamples: 3 });
    const job = core.jobs.start('eval', { runId: own.id });
    expect((await core.jobs.wait(job)).status).toBe('done');
    const spec = seededSpec(base.id, pets.version.id, { baselineRunId: own.id });
    expect(validateFinetune(core.workspace.db, spec).errors.join('\n')).not.toContain('baseline');
    await finishFinetune('ft-c', spec, 13);
    await core.finetuneEvals.settled('ft-c');
    const ev = getEvaluation(core.workspace.db, 'ft-c')!;
    expect(ev).toMatchObject({ state: 'done', baselineRunId: own.id });
    const finetuned = getEvalRun(core.workspace.db, ev.finetunedRunId!);
    expect(configOf(finetuned)).toEqual(configOf(getEvalRun(core.workspace.db, own.id)));
    expect(finetuned).toMatchObject({ mode: 'scored', split: 'all', nSamples: 3, seed: 9, status: 'done' });
    expect(runsOf(base.id)).toHaveLength(2);
  });

  it('validation refuses a baselineRunId of another model or one that is not done', async () => {
    const ftRun = getEvaluation(core.workspace.db, 'ft-a')!.finetunedRunId!;
    const wrongModel = validateFinetune(core.workspace.db, seededSpec(base.id, pets.version.id, { baselineRunId: ftRun }));
    expect(wrongModel.errors).toContainEqual(expect.stringMatching(/^baseline eval run #\d+ \(".*"\) evaluates tiny-lfm2-ft-ft-a, not the base model "tiny-lfm2"$/));
    const queued = await createEvalRun(core.workspace.db, { name: 'never run', versionId: pets.version.id, split: 'test', modelId: base.id, mode: 'raw', seed: 1, nSamples: 1 });
    const notDone = validateFinetune(core.workspace.db, seededSpec(base.id, pets.version.id, { baselineRunId: queued.id }));
    expect(notDone.errors).toContain(`baseline eval run #${queued.id} ("never run") is queued, not done; finish it or pick a done run of the base model`);
    expect(validateFinetune(core.workspace.db, seededSpec(base.id, pets.version.id, { baselineRunId: 999_999 })).errors).toContain('baseline eval run #999999 does not exist');
    const create = core.handlers['finetunes:create'] as (spec: FinetuneSpec) => unknown;
    expect(() => create(seededSpec(base.id, pets.version.id, { baselineRunId: queued.id }))).toThrow(/is queued, not done/);
  });

  it('reconcile resumes a recorded baseline state and adopts the fine-tuned run an interrupted attempt created but never recorded', async () => {
    const spec = seededSpec(base.id, pets.version.id, { mode: 'constrained' });
    const db = core.workspace.db;
    const model = await registerFinetunedCopy(db, base, spec, 'ft-orphan', seededExportDir(core.workspace.root, 'ft-orphan'), 16);
    insertDoneFinetuneJob(db, 'ft-orphan', spec, model);
    saveEvaluation(db, 'ft-orphan', { state: 'baseline', baselineRunId: firstBaseline.id });
    const orphan = await createEvalRun(db, finetunedParams(firstBaseline, model));
    const runs = db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get();
    expect(core.finetuneEvals.reconcile()).toEqual(['ft-orphan']);
    await core.finetuneEvals.settled('ft-orphan');
    expect(getEvaluation(db, 'ft-orphan')).toMatchObject({ state: 'done', baselineRunId: firstBaseline.id, finetunedRunId: orphan.id });
    expect(db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get()).toBe(runs);
    expect(getEvalRun(db, orphan.id).status).toBe('done');
  });

  it('a fine-tuned eval that fails marks the evaluation failed with its error; the fine-tune stays done', async () => {
    const spec = seededSpec(base.id, pets.version.id, { mode: 'constrained' });
    const model = await registerFinetunedCopy(core.workspace.db, base, spec, 'ft-bad', seededExportDir(core.workspace.root, 'ft-bad'), 14);
    // A broken export: its decoder sessions are not ONNX any more, so the engine cannot load them.
    for (const f of readdirSync(join(model.path, 'onnx')).filter((n) => n.startsWith('decoder_model_merged'))) writeFileSync(join(model.path, 'onnx', f), 'not an onnx graph');
    insertDoneFinetuneJob(core.workspace.db, 'ft-bad', spec, model);
    core.bus.emit('jobs:changed', core.jobs.get('ft-bad'));
    await core.finetuneEvals.settled('ft-bad');
    const ev = getEvaluation(core.workspace.db, 'ft-bad')!;
    expect(ev.state).toBe('failed');
    expect(ev.baselineRunId).toBe(firstBaseline.id);
    expect(ev.error).toMatch(new RegExp(`^the fine-tuned eval run ".*" \\(#${ev.finetunedRunId}\\) ended failed: .+`));
    expect(getEvalRun(core.workspace.db, ev.finetunedRunId!).status).toBe('failed');
    expect(core.jobs.get('ft-bad').status).toBe('done');
    const done = listPhases(core.workspace.db, 'ft-bad').find((p) => p.phase === 'done');
    expect(done?.detail).toBe(`evaluation failed: ${ev.error}`);
  });

  it('a snapshot without test samples: validation warns, and the evaluation is skipped with its reason (no run created)', async () => {
    const db = core.workspace.db;
    assignSplits(db, { datasetId: pets.datasetId, seed: 7, ratios: { train: 0.75, val: 0.25, test: 0 } });
    const v2 = createVersion(db, pets.datasetId, 'v2-no-test');
    const spec = seededSpec(base.id, v2.id, { mode: 'constrained' });
    const reason = 'snapshot "v2-no-test" has no test samples, so there is nothing held out to evaluate the base and the fine-tune on; assign a test split (new snapshot) or name a baseline run';
    expect(validateFinetune(db, spec).warnings).toContainEqual({ key: 'evaluate', fate: 'studio-only', message: `the automatic evaluation will be skipped: ${reason}` });
    const runs = db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get();
    await finishFinetune('ft-no-test', spec, 17);
    await core.finetuneEvals.settled('ft-no-test');
    expect(getEvaluation(db, 'ft-no-test')).toEqual({ state: 'skipped', baselineRunId: null, finetunedRunId: null, error: reason });
    expect(db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get()).toBe(runs);
    expect(listPhases(db, 'ft-no-test').find((p) => p.phase === 'done')?.detail).toBe(`evaluation skipped: ${reason}`);
  });

  it('a restart while the fine-tuned eval runs finishes it without running any run or sample twice', async () => {
    const spec = seededSpec(base.id, pets.version.id, { mode: 'raw' });
    const root = core.workspace.root;
    // Close the studio at the fine-tuned run's first evaluated sample (the raw baseline is created and run first).
    const closed = new Promise<void>((resolve) => {
      core.bus.on('jobs:progress', (p) => {
        if (p.kind !== 'eval' || !p.message.startsWith('Evaluated 1 of')) return;
        const runId = getEvaluation(core.workspace.db, 'ft-restart')?.finetunedRunId ?? null;
        if (runId !== null && core.jobs.activeFor({ kind: 'eval-run', id: runId })?.id === p.jobId) resolve();
      });
    });
    await finishFinetune('ft-restart', spec, 15);
    await closed;
    await core.close();

    const reopened = openWorkspace(root);
    const mid = getEvaluation(reopened.db, 'ft-restart')!;
    expect(mid.state).toBe('finetuned');
    const runsBefore = reopened.db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get();
    const doneBefore = evalRowsDone(reopened.db, mid.finetunedRunId!);
    expect(getEvalRun(reopened.db, mid.baselineRunId!).status).toBe('done');
    expect(getEvalRun(reopened.db, mid.finetunedRunId!).status).toBe('interrupted');
    expect(doneBefore.length).toBeGreaterThan(0);
    expect(doneBefore.length).toBeLessThan(PER_CLASS);

    const evalJobsBefore = reopened.db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'eval'`).pluck(true).get() as number;
    core = createStudioCore(reopened);
    await core.finetuneEvals.settled('ft-restart');
    const ev = getEvaluation(core.workspace.db, 'ft-restart')!;
    expect(ev).toMatchObject({ state: 'done', baselineRunId: mid.baselineRunId, finetunedRunId: mid.finetunedRunId });
    expect(core.workspace.db.prepare('SELECT COUNT(*) FROM eval_runs').pluck(true).get()).toBe(runsBefore);
    // One resume job for the fine-tuned run; the done baseline is not run again; rows finished before keep their answers.
    expect(core.workspace.db.prepare(`SELECT COUNT(*) FROM jobs WHERE kind = 'eval'`).pluck(true).get()).toBe(evalJobsBefore + 1);
    const after = evalRowsDone(core.workspace.db, ev.finetunedRunId!);
    expect(after).toHaveLength(PER_CLASS);
    for (const row of doneBefore) expect(after).toContainEqual(row);
    expect(existsSync(root)).toBe(true);
  });
});

function evalRowsDone(db: StudioCore['workspace']['db'], runId: number) {
  return evalSampleRows(db, runId)
    .filter((r) => r.done)
    .map((r) => ({ sampleId: r.sampleId, rawOutput: r.rawOutput, latencyMs: r.latencyMs }));
}

