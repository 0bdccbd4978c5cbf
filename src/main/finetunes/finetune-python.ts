/** The trainer's Python: the pinned venv (scripts/python-env.mjs beside trainer/, loaded from there so a bundled build finds its requirements) and an async, cancellable run of it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { trainerDir } from './lora-targets';

/** Builds the venv on first use (minutes), then returns its python. */
export async function trainerPython(): Promise<string> {
  const mod = (await import(pathToFileURL(join(trainerDir(), '..', 'scripts', 'python-env.mjs')).href)) as typeof import('../../../scripts/python-env.mjs');
  return mod.ensurePythonEnv({ quiet: true });
}

/** The environment every trainer run gets: unbuffered, offline, no bytecode written into the (verified) bundle. */
export const TRAINER_ENV = { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' };

/** Runs `python args` in cwd; rejects with the output's last lines on a non-zero exit, or when `signal` aborts (the process is killed). */
export function runPython(python: string, args: string[], cwd: string, signal?: AbortSignal, onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('cancelled'));
    const py = spawn(python, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...TRAINER_ENV } });
    let tail: string[] = [];
    const keep = (d: Buffer) => {
      const lines = d.toString('utf8').split('\n').filter((l) => l.trim());
      for (const l of lines) onLine?.(l);
      tail = [...tail, ...lines].slice(-20);
    };
    py.stdout.on('data', keep);
    py.stderr.on('data', keep);
    const abort = () => py.kill('SIGTERM');
    signal?.addEventListener('abort', abort, { once: true });
    py.on('error', reject);
    py.on('close', (code, sig) => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted) return reject(new Error('cancelled'));
      if (code === 0) return resolve();
      reject(new Error(`python ${args.slice(0, 3).join(' ')} exited with ${code ?? sig}:\n${tail.join('\n')}`));
    });
  });
}
