/**
 * The SSH test user's OWN Python venv (in its home, built over SSH as that user), so an SSH fine-tune proves the
 * remote side needs nothing of the studio's: trainer/requirements.txt installed from this machine's pip index only
 * (no public index, no retries), cached by the requirements' hash so CI builds it once.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './assets';
import type { Sshd } from './sshd';

const REQUIREMENTS = join(REPO_ROOT, 'trainer', 'requirements.txt');

/** pip's index flags from this machine's pip config (`pip config list`): its local index(es) and wheel folder, nothing public. */
export function localIndexArgs(): string[] {
  if (process.env.STUDIO_PIP_ARGS) return process.env.STUDIO_PIP_ARGS.split(/\s+/).filter(Boolean);
  let listed = '';
  try {
    listed = execFileSync('pip', ['config', 'list'], { encoding: 'utf8' });
  } catch {
    listed = '';
  }
  const value = (key: string): string[] => {
    const line = listed.split('\n').find((l) => l.startsWith(`global.${key}=`) || l.startsWith(`:env:.${key}=`));
    return line ? line.slice(line.indexOf('=') + 1).replace(/^'|'$/g, '').split(/\s+/).filter(Boolean) : [];
  };
  const indexes = [...value('index-url'), ...value('extra-index-url')].filter((u) => u.startsWith('file:') || /^https?:\/\/(127\.|localhost)/.test(u));
  if (indexes.length === 0) throw new Error('no local pip index in `pip config list` (set STUDIO_PIP_ARGS to the index flags for the SSH test venv)');
  const [first, ...rest] = indexes;
  return ['--index-url', first as string, ...rest.flatMap((u) => ['--extra-index-url', u]), ...value('find-links').flatMap((f) => ['--find-links', f])];
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Returns the remote venv's python, building it first (minutes) when the test user's home lacks it for these requirements. */
export async function ensureRemotePythonEnv(sshd: Sshd): Promise<string> {
  const requirements = readFileSync(REQUIREMENTS, 'utf8');
  const hash = createHash('sha256').update(requirements).update('remote-venv-1').digest('hex').slice(0, 16);
  const dir = `${sshd.home}/.cache/vlm-studio/pyenv-${hash}`;
  const have = await sshd.sh(`[ -f ${q(dir)}/.complete ] && echo yes; true`);
  if (have.stdout.trim() === 'yes') return `${dir}/bin/python`;
  const pip = ['install', '-q', '--no-input', '--disable-pip-version-check', '--retries', '0', '--timeout', '30', ...localIndexArgs(), '-r', '"$T/requirements.txt"'];
  const script = [
    'set -e',
    `D=${q(dir)}`,
    'T="$D.tmp-$$"',
    'rm -rf "$T"; mkdir -p "$(dirname "$D")"',
    'python3 -m venv "$T"',
    `cat > "$T/requirements.txt" <<'REQ'\n${requirements.trimEnd()}\nREQ`,
    `"$T/bin/python" -m pip ${pip.map((a) => (a.startsWith('"') ? a : q(a))).join(' ')}`,
    `"$T/bin/python" -c 'import torch, transformers, peft, onnx, onnxruntime, numpy, yaml'`,
    'touch "$T/.complete"',
    // Another test run may have finished the same venv meanwhile: keep that one.
    'if [ -f "$D/.complete" ]; then rm -rf "$T"; else rm -rf "$D"; mv "$T" "$D"; fi',
  ].join('\n');
  const t0 = Date.now();
  const r = await sshd.sh(script);
  if (r.code !== 0) throw new Error(`building the SSH test user's venv failed (exit ${r.code}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  console.log(`built the SSH test user's venv ${dir} in ${Math.round((Date.now() - t0) / 1000)} s`);
  return `${dir}/bin/python`;
}
