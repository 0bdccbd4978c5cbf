/** `studio eval --config file.yaml` (or `--resume RUN_ID`): creates and runs an eval in-process, then prints its metrics. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { parseEvalConfig } from '../evals/eval-config';
import { resolveEvalConfig } from '../evals/eval-config-resolve';
import { createEvalRun } from '../evals/eval-plan';
import { formatRunReport } from '../evals/eval-report-text';
import { getEvalRun } from '../evals/eval-store';
import { runEval } from '../evals/run-eval';
import { formatOodSummary, oodSummary } from '../class-mappings/ood-summary';
import { UsageError, parseCommand, progressPrinter } from './args';
import { cmdEvalMatrix, isMatrixInvocation } from './eval-matrix-command';

export type Out = (line: string) => void;

/** Returns 0 when the eval completed, 1 when it was cancelled (Ctrl-C; resumable) or failed. */
export async function cmdEval(ws: Workspace, argv: string[], out: Out, err: Out): Promise<number> {
  if (isMatrixInvocation(argv)) return cmdEvalMatrix(ws, argv, out, err);
  const { values } = parseCommand(argv, {
    config: { type: 'string', short: 'c' },
    name: { type: 'string', short: 'n' },
    resume: { type: 'string' },
  });
  const configPath = typeof values.config === 'string' ? values.config : undefined;
  const resumeArg = typeof values.resume === 'string' ? values.resume : undefined;
  if ((configPath === undefined) === (resumeArg === undefined)) throw new UsageError('eval needs exactly one of --config FILE.yaml or --resume RUN_ID');

  let runId: number;
  if (resumeArg !== undefined) {
    runId = Number(resumeArg);
    if (!Number.isInteger(runId) || runId < 1) throw new UsageError(`--resume takes a run id, got "${resumeArg}"`);
    getEvalRun(ws.db, runId);
  } else {
    const file = resolve(configPath as string);
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read config ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    });
    const config = parseEvalConfig(text);
    const name = typeof values.name === 'string' ? values.name : undefined;
    const params = await resolveEvalConfig(ws.db, config, { baseDir: dirname(file), ...(name !== undefined ? { name } : {}) });
    const created = await createEvalRun(ws.db, params);
    runId = created.id;
    err(`Created eval #${runId} "${created.name}": ${created.plannedCount} samples, mode ${created.mode}`);
  }

  const controller = new AbortController();
  const onSigint = (): void => {
    err('Cancelling after the sample in flight (resume with: studio eval --resume ' + runId + ')');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const run = await runEval(ws, runId, { onProgress: progressPrinter(err, 5), signal: controller.signal });
    for (const line of formatRunReport(run)) out(line);
    for (const line of formatOodSummary(oodSummary(ws.db, run.id))) out(line);
    if (run.status === 'cancelled') err(`Eval #${runId} cancelled; resume with: studio eval --resume ${runId}`);
    return run.status === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
