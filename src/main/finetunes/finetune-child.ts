/**
 * The finetune job's detached process (`finetune-child <workspace> <jobId> <spec JSON>`): builds and verifies the
 * bundle, prepares inputs with the studio's own processor, runs the Python trainer from the bundle, turns
 * metrics.jsonl into `@progress` lines, registers the export as a model with its lineage and writes the result file.
 * It outlives the studio; SIGTERM (cancel) stops the trainer and exits non-zero.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareTrainerInputs } from '../../../trainer/studio/prepare-inputs';
import { finetuneSpecSchema, type FinetuneLineage, type FinetuneResult, type FinetuneSpec } from '../../shared/finetune-types';
import { getVersion } from '../versions/snapshot';
import { findModelByFinetuneJob, getModel, registerModel } from '../models/model-registry';
import { openWorkspace, type Workspace } from '../workspace/workspace';
import { BUNDLE_CONFIG, buildBundle, verifyBundle } from './finetune-bundle';
import { finetuneJobDir } from './finetune-kind';
import { metricsSummary, progressMessage, readMetrics, totalSteps } from './finetune-metrics';
import { resumeArgs } from './finetune-resume';
import { assertFinetuneValid } from './finetune-validate';
import { trainerDir } from './lora-targets';

const say = (value: number, message: string) => process.stdout.write(`@progress ${value.toFixed(4)} ${message}\n`);

/** The trainer's pinned venv (scripts/python-env.mjs beside trainer/, loaded from there so a bundled build finds its requirements). */
async function trainerPython(): Promise<string> {
  const mod = (await import(pathToFileURL(join(trainerDir(), '..', 'scripts', 'python-env.mjs')).href)) as typeof import('../../../scripts/python-env.mjs');
  return mod.ensurePythonEnv({ quiet: true });
}

/** Runs the trainer, reporting each new metrics line; resolves with its exit code (SIGTERM to us stops it first). */
async function runTrainer(args: string[], cwd: string, metricsFile: string, total: number): Promise<number> {
  const python = await trainerPython();
  return new Promise((resolve, reject) => {
    const py = spawn(python, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PYTHONUNBUFFERED: '1', HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' } });
    let seen = 0;
    const poll = () => {
      const lines = readMetrics(metricsFile);
      for (const m of lines.slice(seen)) say(0.05 + (0.85 * Math.min(m.step, total)) / total, progressMessage(m, total));
      if (lines.length > seen && lines.at(-1)?.step === total) say(0.9, `step ${total}/${total} · merging LoRA and exporting ONNX`);
      seen = lines.length;
    };
    const timer = setInterval(poll, 500);
    const stop = () => py.kill('SIGTERM');
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    py.on('error', reject);
    py.on('close', (code, signal) => {
      clearInterval(timer);
      poll();
      resolve(code ?? (signal ? 128 + 15 : 1));
    });
  });
}

/** The optimizer the trainer really used: its log says when adamw_8bit fell back. */
function usedOptimizer(runDir: string, asked: string): string {
  const log = readFileSync(join(runDir, 'train.log'), 'utf8');
  return log.includes('falling back to adamw_torch') ? 'adamw_torch' : asked;
}

function lineage(ws: Workspace, spec: FinetuneSpec, labels: string[], jobId: string, optimizer: string): FinetuneLineage {
  const base = getModel(ws.db, spec.baseModelId);
  const version = getVersion(ws.db, spec.versionId);
  const dataset = ws.db.prepare('SELECT name FROM datasets WHERE id = ?').pluck(true).get(version.datasetId) as string;
  return {
    baseModelId: base.id,
    baseModelName: base.name,
    datasetId: version.datasetId,
    datasetName: dataset,
    versionId: version.id,
    versionName: version.name,
    systemPrompt: spec.systemPrompt,
    userPrompt: spec.userPrompt,
    labels,
    hyperparams: spec.hyperparams,
    jobId,
    backend: 'process',
    optimizer,
  };
}

async function main(): Promise<number> {
  const [root, jobId, specJson] = process.argv.slice(2);
  if (!root || !jobId || !specJson) throw new Error('usage: finetune-child <workspace> <jobId> <spec JSON>');
  const spec = finetuneSpecSchema.parse(JSON.parse(specJson));
  const ws = openWorkspace(root);
  try {
    const validation = assertFinetuneValid(ws.db, spec);
    const base = getModel(ws.db, spec.baseModelId);
    const dir = finetuneJobDir(root, jobId);
    const bundle = join(dir, 'bundle');
    say(0, `building the bundle (${validation.trainSamples} train, ${validation.valSamples} val; LoRA wraps ${validation.wrappedCount} modules)`);
    const manifest = await buildBundle(ws, spec, bundle, trainerDir());
    const check = await verifyBundle(bundle);
    if (!check.ok) throw new Error(`the bundle does not verify: ${check.problems.join('; ')}`);
    say(0.02, 'preparing inputs with the studio processor');
    const inputs = join(dir, 'inputs');
    await prepareTrainerInputs(base.path, bundle, inputs);
    const total = totalSteps(manifest.counts.train, spec.hyperparams);
    if (spec.hyperparams.optim.includes('8bit')) say(0.04, `optim ${spec.hyperparams.optim} needs bitsandbytes and a CUDA GPU; the local trainer falls back to adamw_torch`);
    say(0.05, `training: ${total} optimizer steps`);
    const run = join(dir, 'run');
    const args = ['-m', 'lfm2vl_trainer', 'train', '--base', base.path, '--inputs', inputs, '--config', join(bundle, BUNDLE_CONFIG), '--out', run, ...resumeArgs(ws.db, root, jobId, spec, run)];
    const code = await runTrainer(args, join(bundle, 'trainer'), join(run, 'metrics.jsonl'), total);
    if (code !== 0) {
      process.stderr.write(`the trainer exited with code ${code}\n`);
      return code;
    }
    const trained = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as { steps: number; train_seconds: number };
    const optimizer = usedOptimizer(run, spec.hyperparams.optim);
    const name = spec.outputName ?? `${base.name}-ft-${jobId.slice(0, 8)}`;
    const model = findModelByFinetuneJob(ws.db, jobId) ?? (await registerModel(ws.db, join(run, 'export'), { name, lineage: lineage(ws, spec, manifest.labels, jobId, optimizer) }));
    const result: FinetuneResult = {
      modelId: model.id,
      modelName: model.name,
      exportDir: model.path,
      steps: trained.steps,
      trainSeconds: trained.train_seconds,
      ...metricsSummary(readMetrics(join(run, 'metrics.jsonl'))),
      optimizer,
    };
    const out = process.env.STUDIO_JOB_RESULT;
    if (out) {
      writeFileSync(`${out}.tmp`, JSON.stringify(result));
      renameSync(`${out}.tmp`, out);
    }
    say(1, `registered model #${model.id} "${model.name}"`);
    return 0;
  } finally {
    ws.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
