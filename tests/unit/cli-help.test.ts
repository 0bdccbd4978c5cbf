/** Spawns the real CLI: `--help` (top level and on every subcommand) prints usage to stdout and exits 0, without a workspace. */
import { describe, expect, it } from 'vitest';
import { runTsx, type TsxRun } from '../support/run-tsx';

function runCli(args: string[]): Promise<TsxRun> {
  return runTsx('src/main/cli/index.ts', args, { STUDIO_WORKSPACE: '' });
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
