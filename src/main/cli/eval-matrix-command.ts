/** `studio eval --matrix file.yaml` (or `--resume-matrix BATCH_ID`): runs a prompt × model matrix cell by cell, then prints it. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { parseMatrixConfig } from '../evals/eval-matrix-config';
import { resolveMatrixConfig } from '../evals/eval-matrix-resolve';
import { batchRunIds, createEvalBatch, getEvalBatch } from '../evals/eval-batch-store';
import { formatMatrix } from '../evals/eval-matrix-text';
import { abandonRun } from '../evals/eval-claim';
import { getEvalRun } from '../evals/eval-store';
import { runEval } from '../evals/run-eval';
import { UsageError, parseCommand, progressPrinter } from './args';

type Out = (line: string) => void;

/** True when the eval command line asks for a matrix (so cmdEval hands it here). */
export function isMatrixInvocation(argv: readonly string[]): boolean {
  return argv.some((a) => /^--(resume-)?matrix(=|$)/.test(a));
}

/**
 * Returns 0 when every cell finished, 1 when the matrix was cancelled (Ctrl-C, or `stop` for callers that embed it;
 * resumable) or a cell failed.
 */
export async function cmdEvalMatrix(ws: Workspace, argv: string[], out: Out, err: Out, stop?: AbortSignal): Promise<number> {
  const { values } = parseCommand(argv, {
    matrix: { type: 'string', short: 'm' },
    'resume-matrix': { type: 'string' },
    name: { type: 'string', short: 'n' },
  });
  const file = typeof values.matrix === 'string' ? resolve(values.matrix) : undefined;
  const resumeArg = typeof values['resume-matrix'] === 'string' ? values['resume-matrix'] : undefined;
  if ((file === undefined) === (resumeArg === undefined)) throw new UsageError('eval needs exactly one of --matrix FILE.yaml or --resume-matrix BATCH_ID');

  let batchId: number;
  if (resumeArg !== undefined) {
    batchId = Number(resumeArg);
    if (!Number.isInteger(batchId) || batchId < 1) throw new UsageError(`--resume-matrix takes a matrix id, got "${resumeArg}"`);
    getEvalBatch(ws.db, batchId);
  } else {
    const text = await readFile(file as string, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read matrix config ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    });
    const config = parseMatrixConfig(text);
    const name = typeof values.name === 'string' ? values.name : undefined;
    const params = await resolveMatrixConfig(ws.db, config, { baseDir: dirname(file as string), ...(name !== undefined ? { name } : {}) });
    const batch = await createEvalBatch(ws.db, params);
    batchId = batch.id;
    err(`Created matrix #${batchId} "${batch.name}": ${batch.cells.length} cells on ${batch.cells[0]?.plannedCount ?? 0} samples each`);
  }

  const controller = new AbortController();
  const onSigint = (): void => {
    err(`Cancelling after the sample in flight (resume with: studio eval --resume-matrix ${batchId})`);
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  stop?.addEventListener('abort', () => controller.abort(), { once: true });
  try {
    const runIds = batchRunIds(ws.db, batchId);
    for (const [i, runId] of runIds.entries()) {
      if (controller.signal.aborted) break;
      const run = getEvalRun(ws.db, runId);
      if (run.status === 'done') continue;
      err(`Cell ${i + 1}/${runIds.length}: eval #${runId} "${run.name}"`);
      try {
        await runEval(ws, runId, { onProgress: progressPrinter(err, 25), signal: controller.signal });
      } catch (e) {
        // The run is marked failed with its message; the other cells still run.
        err(`Eval #${runId} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // Cells that never started are cancelled with the matrix (not left 'queued' as if something would still run them).
    if (controller.signal.aborted) for (const runId of runIds) if (getEvalRun(ws.db, runId).status === 'queued') abandonRun(ws.db, runId, 'cancelled');
    const batch = getEvalBatch(ws.db, batchId);
    for (const line of formatMatrix(batch)) out(line);
    if (batch.status !== 'done') err(`Matrix #${batchId} is ${batch.status}; resume with: studio eval --resume-matrix ${batchId}`);
    return batch.status === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
