#!/usr/bin/env node
/** Builds (once per requirements hash) the trainer's Python venv outside the clone and prints its python path, so CI on a fresh clone pays the install once. */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REQUIREMENTS = join(ROOT, 'trainer', 'requirements.txt');

/** Index flags: a machine-local mirror when present (no PyPI there), else PyPI plus PyTorch's CPU wheel index. */
function indexArgs() {
  if (process.env.STUDIO_PIP_ARGS) return process.env.STUDIO_PIP_ARGS.split(/\s+/).filter(Boolean);
  if (existsSync('/opt/pypi/simple')) {
    const args = ['--index-url', 'file:///opt/pypi/simple'];
    if (existsSync('/opt/pypi-more/simple')) args.push('--extra-index-url', 'file:///opt/pypi-more/simple');
    if (existsSync('/opt/wheels')) args.push('--find-links', '/opt/wheels');
    return args;
  }
  return ['--extra-index-url', 'https://download.pytorch.org/whl/cpu'];
}

function run(cmd, args, log) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (log) writeFileSync(log, `${r.stdout ?? ''}\n${r.stderr ?? ''}`, { flag: 'a' });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-25).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${tail || r.error?.message}`);
  }
  return r.stdout;
}

/** The venv folder for the current requirements (~/.cache/vlm-studio/pyenv-<hash>, or STUDIO_PYENV_ROOT). */
export function pythonEnvDir() {
  const base = process.env.STUDIO_PYENV_ROOT ?? join(homedir(), '.cache', 'vlm-studio');
  const python = process.env.STUDIO_PYTHON ?? 'python3';
  const version = run(python, ['-c', 'import sys; print(sys.version.split()[0])']).trim();
  const hash = createHash('sha256').update(readFileSync(REQUIREMENTS)).update(version).digest('hex').slice(0, 16);
  return join(base, `pyenv-${hash}`);
}

/** Returns the venv's python, creating and checking the venv first when it is missing or incomplete. */
export function ensurePythonEnv({ quiet = false } = {}) {
  const dir = pythonEnvDir();
  const py = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return py;
  const python = process.env.STUDIO_PYTHON ?? 'python3';
  mkdirSync(dirname(dir), { recursive: true });
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const log = `${dir}.install.log`;
  if (!quiet) console.error(`[python-env] creating ${dir} (log: ${log})`);
  // Built in place under a per-process name, then renamed: `python -m pip` is used throughout, so the
  // venv's console-script shebangs (which keep the staging path) are never needed.
  run(python, ['-m', 'venv', staging], log);
  const spy = join(staging, 'bin', 'python');
  run(spy, ['-m', 'pip', 'install', '--disable-pip-version-check', ...indexArgs(), '-r', REQUIREMENTS], log);
  run(spy, ['-c', 'import torch, transformers, peft, onnx, onnxruntime, numpy, yaml'], log);
  writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw err;
  }
  return py;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensurePythonEnv());
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
