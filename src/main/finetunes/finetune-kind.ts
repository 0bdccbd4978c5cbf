/**
 * The finetune job's executor: one pipeline (prepare the bundle locally → train on the backend → fetch and verify
 * the export → register with lineage), with the backend switch in one place — local: a detached child process that
 * outlives the studio (finetune-child); ssh: the generic SSH executor (finetune-ssh); modal: the Modal executor
 * (finetune-modal). Adding a backend is one branch.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FinetuneResult, FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import type { JobEvents, JobExecutor, JobRunContext } from '../jobs/job-kind';
import { processExecutor, type ProcessCommand } from '../jobs/process-executor';
import { recordPhase } from './finetune-state-store';
import { finetuneModalExecutor } from './finetune-modal';
import { finetuneSshExecutor } from './finetune-ssh';

export { finetuneJobDir } from './finetune-paths';

/** Lines of the job log a failed fine-tune's error quotes: the trainer's traceback and train.log's end. */
export const FINETUNE_ERROR_TAIL = 24;


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

export interface FinetuneExecutorDeps {
  /** The studio's database: SSH hosts, phase stamps and (SSH, Modal) registration happen here. */
  db?: Db;
  /** An SSH key's passphrase, from memory (never stored). */
  sshPassphrase?: (hostId: number) => string | undefined;
  pollMs?: number;
  /** How often a Modal fine-tune polls its volume (default 10 s). */
  modalPollMs?: number;
}

/** Stamps `done` when the job finishes well and no automatic evaluation follows (that one stamps evaluating/done itself). */
function stampingDone(db: Db | undefined, ctx: JobRunContext<FinetuneSpec, FinetuneResult>): JobRunContext<FinetuneSpec, FinetuneResult> {
  const events: JobEvents<FinetuneResult> = {
    ...ctx.events,
    done: (result, cancelled) => {
      if (db && cancelled) recordPhase(db, ctx.jobId, 'cancelled');
      else if (db && result && !ctx.params.evaluate.enabled) recordPhase(db, ctx.jobId, 'done');
      ctx.events.done(result, cancelled);
    },
  };
  return { ...ctx, events };
}

export function finetuneExecutor(deps: FinetuneExecutorDeps = {}): JobExecutor<FinetuneSpec, FinetuneResult> {
  const local = processExecutor<FinetuneSpec, FinetuneResult>({
    command: (spec, jobId, workspaceRoot) => finetuneChildCommand([workspaceRoot, jobId, JSON.stringify(spec)]),
    pollMs: deps.pollMs ?? 500,
    errorTailLines: FINETUNE_ERROR_TAIL,
  });
  const ssh = deps.db ? finetuneSshExecutor(deps.db, { passphrase: deps.sshPassphrase, pollMs: deps.pollMs }) : null;
  const modal = deps.db ? finetuneModalExecutor(deps.db, { pollMs: deps.modalPollMs }) : null;
  const pick = (spec: FinetuneSpec): JobExecutor<FinetuneSpec, FinetuneResult> => {
    switch (spec.backend.kind) {
      case 'local':
        return local;
      case 'ssh':
        if (!ssh) throw new Error('SSH fine-tunes need the studio database (JobManager passes it)');
        return ssh;
      case 'modal':
        if (!modal) throw new Error('Modal fine-tunes need the studio database (JobManager passes it)');
        return modal;
    }
  };
  return {
    backend: 'process',
    backendOf: (spec) => (spec.backend.kind === 'local' ? 'process' : spec.backend.kind),
    run: (ctx) => pick(ctx.params).run(stampingDone(deps.db, ctx)),
    reattach: (ref, ctx) => pick(ctx.params).reattach(ref, stampingDone(deps.db, ctx)),
  };
}
