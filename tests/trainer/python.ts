/** Test side of the trainer: the cached venv (built on first use; an error, never a skip) and the Python CLI as a real child process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonEnv } from '../../scripts/python-env.mjs';
import { REPO_ROOT } from '../support/assets';

export const TRAINER_DIR = join(REPO_ROOT, 'trainer');

let cached: string | undefined;
/** The venv's python; building it can take minutes on a cold machine. */
export function trainerPython(): string {
  cached ??= ensurePythonEnv({ quiet: false });
  return cached;
}

export interface PyResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `python -m lfm2vl_trainer <args>` (or a module given as args[0] = '-m', name) with at most 2 CPU threads. */
export function runTrainer(args: string[], opts: { threads?: number } = {}): Promise<PyResult> {
  const t0 = performance.now();
  const threads = String(opts.threads ?? 2);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(trainerPython(), args[0] === '-m' ? args : ['-m', 'lfm2vl_trainer', ...args], {
      cwd: TRAINER_DIR,
      env: { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

/** runTrainer that throws with the child's output tail when it fails. */
export async function runTrainerOk(args: string[]): Promise<PyResult> {
  const r = await runTrainer(args);
  if (r.code !== 0) throw new Error(`python -m lfm2vl_trainer ${args.join(' ')} exited ${r.code}:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return r;
}
