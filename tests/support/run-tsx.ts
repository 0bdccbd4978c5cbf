/** Runs a TypeScript entry of the repo (the CLI, the host) as a real child process and collects its output. */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './assets';

export interface TsxRun {
  code: number | null;
  out: string;
  err: string;
}

/** `node --import tsx <script> ...args` in the repo root; `env` is merged over this process's environment. */
export function runTsx(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<TsxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
