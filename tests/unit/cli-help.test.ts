/** Spawns the real CLI: `--help` (top level and on every subcommand) prints usage to stdout and exits 0, without a workspace. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', ...args], { cwd: ROOT, env: { ...process.env, STUDIO_WORKSPACE: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('studio CLI --help', () => {
  it('prints the top-level usage to stdout and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: npm run studio/);
      expect(r.out).toMatch(/eval +--config/);
    }
  });

  it.each(['import', 'list', 'split', 'snapshot', 'export', 'eval'])('%s --help prints that command\'s usage and exits 0', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`usage: npm run studio -- ${cmd}\\b`));
  });
});
