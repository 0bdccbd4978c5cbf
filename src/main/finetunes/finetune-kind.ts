/** The finetune job's executor: a detached child process (finetune-child) that outlives the studio and is re-attached from its log. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { JobExecutor } from '../jobs/job-kind';
import { processExecutor, type ProcessCommand } from '../jobs/process-executor';

/** Where one fine-tune job keeps its bundle, prepared inputs and trainer output. */
export function finetuneJobDir(workspaceRoot: string, jobId: string): string {
  return join(workspaceRoot, 'finetunes', jobId);
}

/** The child entry: finetune-child.ts under tsx (sources, tests, CLI) or finetune-child.js beside the electron-vite bundle. */
export function finetuneChildCommand(args: string[], moduleUrl: string = import.meta.url): ProcessCommand {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith('.ts')) {
    const pkg = createRequire(moduleUrl).resolve('tsx/package.json');
    const bin = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin?: string | { tsx?: string } }).bin;
    const cli = join(dirname(pkg), (typeof bin === 'string' ? bin : bin?.tsx) ?? 'dist/cli.mjs');
    return { file: process.execPath, args: [cli, join(dirname(here), 'finetune-child.ts'), ...args] };
  }
  const built = [join(dirname(here), 'finetune-child.js'), join(dirname(here), '..', 'finetune-child.js')].find((f) => existsSync(f));
  if (!built) throw new Error(`finetune-child.js not found next to ${here} (expected it from the build)`);
  // Inside Electron, process.execPath is the app binary: run it as plain Node.
  return { file: process.execPath, args: [built, ...args], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

export function finetuneExecutor(pollMs = 500): JobExecutor<FinetuneSpec, FinetuneResult> {
  return processExecutor<FinetuneSpec, FinetuneResult>({
    command: (spec, jobId, workspaceRoot) => finetuneChildCommand([workspaceRoot, jobId, JSON.stringify(spec)]),
    pollMs,
  });
}
