/**
 * The local backend's detached process (`finetune-child <workspace> <jobId> <spec JSON>`): prepares the bundle
 * (finetune-prepare), runs the Python trainer from it, turns metrics.jsonl into `@progress` lines, verifies the
 * export against result.json and registers it (finetune-register), stamping each phase. It outlives the studio;
 * SIGTERM (cancel) stops the trainer and exits non-zero; a trainer that fails ends it with the logs' last lines.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finetuneSpecSchema } from '../../shared/finetune-types';
import { openWorkspace } from '../workspace/workspace';
import { finetuneJobDir } from './finetune-paths';
import { progressMessage, readMetrics } from './finetune-metrics';
import { prepareFinetune } from './finetune-prepare';
import { TRAINER_ENV, trainerPython } from './finetune-python';
import { BUNDLE_TRAINER_CWD, trainerArgs } from './finetune-trainer-args';
import { registerFinetune } from './finetune-register';
import { resumeArgs } from './finetune-resume';
import { recordPhase } from './finetune-state-store';

const say = (value: number, message: string) => process.stdout.write(`@progress ${value.toFixed(4)} ${message}\n`);

/** Last lines of a text file (empty when absent). */
function lastLines(file: string, n: number): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n) : [];
}

/** Runs the trainer, reporting each new metrics line; resolves with its exit code and its stderr's last lines (SIGTERM to us stops it first). */
async function runTrainer(args: string[], cwd: string, metricsFile: string, total: number): Promise<{ code: number; stderr: string[] }> {
  const python = await trainerPython();
  return new Promise((resolve, reject) => {
    const py = spawn(python, args, { cwd, stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...TRAINER_ENV } });
    let stderr: string[] = [];
    py.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
      stderr = [...stderr, ...d.toString('utf8').split('\n').filter((l) => l.trim())].slice(-20);
    });
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
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 143), stderr });
    });
  });
}

async function main(): Promise<number> {
  const [root, jobId, specJson] = process.argv.slice(2);
  if (!root || !jobId || !specJson) throw new Error('usage: finetune-child <workspace> <jobId> <spec JSON>');
  const spec = finetuneSpecSchema.parse(JSON.parse(specJson));
  const ws = openWorkspace(root);
  try {
    const dir = finetuneJobDir(root, jobId);
    recordPhase(ws.db, jobId, 'uploading', 'local bundle');
    const prepared = await prepareFinetune(ws, spec, dir, say);
    if (spec.hyperparams.optim.includes('8bit')) say(0.04, `optim ${spec.hyperparams.optim} needs bitsandbytes and a CUDA GPU; the local trainer falls back to adamw_torch`);
    say(0.05, `training: ${prepared.total} optimizer steps${prepared.mini ? ' (mini VLM)' : ''}`);
    const run = join(dir, 'run');
    recordPhase(ws.db, jobId, 'running', `pid ${process.pid}`);
    const { code, stderr } = await runTrainer([...trainerArgs(prepared.mini, run), ...resumeArgs(ws.db, root, jobId, spec, run)], join(prepared.bundle, BUNDLE_TRAINER_CWD), join(run, 'metrics.jsonl'), prepared.total);
    if (code !== 0) {
      const why = code === 137 ? 'the trainer was killed (SIGKILL)' : `the trainer exited with code ${code}`;
      const log = lastLines(join(run, 'train.log'), 8);
      process.stderr.write(`${why}\n${log.length ? `train.log: ${log.join('\n')}\n` : ''}${stderr.length ? `stderr: ${stderr.slice(-12).join('\n')}\n` : ''}`);
      return code;
    }
    recordPhase(ws.db, jobId, 'downloading', 'verifying the export against result.json');
    say(0.95, 'verifying the export');
    recordPhase(ws.db, jobId, 'registering');
    const result = await registerFinetune(ws.db, spec, jobId, { out: run, metrics: join(run, 'metrics.jsonl'), trainLog: join(run, 'train.log') }, prepared.manifest.labels, 'process');
    const out = process.env.STUDIO_JOB_RESULT;
    if (out) {
      writeFileSync(`${out}.tmp`, JSON.stringify(result));
      renameSync(`${out}.tmp`, out);
    }
    say(1, `registered model #${result.modelId} "${result.modelName}"`);
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
