/** Helpers of the resume tests: a trainer run killed with SIGKILL once it logged step k, the newest complete checkpoint, and metrics.jsonl rows. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAINER_DIR, trainerPython } from './python';

export interface MetricRow {
  step: number;
  train_loss: number;
  eval_loss?: number;
  lr: number;
}

export const readRows = (out: string): MetricRow[] =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricRow);

/** The studio's own lookup of the newest complete checkpoint (the one finetunes:resume uses). */
export { newestCheckpoint } from '../../src/main/finetunes/finetune-resume';

/** Runs `python -m lfm2vl_trainer <args>` and SIGKILLs it as soon as its log shows step ≥ k; resolves with the last step it printed. */
export function runKilledAfter(args: string[], k: number): Promise<{ killedAt: number; output: string; exitedByItself: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(trainerPython(), ['-m', 'lfm2vl_trainer', ...args], {
      cwd: TRAINER_DIR,
      env: { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2', TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let last = 0;
    let killed = false;
    const watch = (d: Buffer) => {
      output += d.toString();
      for (const m of output.matchAll(/ step=(\d+) /g)) last = Math.max(last, Number(m[1]));
      if (!killed && last >= k) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed && code !== 0) reject(new Error(`the trainer exited ${code ?? signal} before step ${k}:\n${output.slice(-4000)}`));
      else resolve({ killedAt: last, output, exitedByItself: signal !== 'SIGKILL' });
    });
  });
}
