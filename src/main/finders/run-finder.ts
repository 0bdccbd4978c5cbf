/** Runs one finder over a dataset's active samples and stores its ranked suspects as a review queue (the `find` job's work). */
import { finderOptionSchemas, type FinderName, type FinderOptions, type Suspect } from '../../shared/finder-types';
import type { FindJobResult } from '../../shared/jobs';
import { requireDataset } from '../datasets/dataset-service';
import type { Workspace } from '../workspace/workspace';
import type { Finder } from './finder';
import { createRun, endRun, loadFinderSamples, saveSuspects } from './finder-store';
import { getFinder } from './registry';

export interface RunFinderOptions {
  onProgress?: (value: number, message: string) => void;
  signal?: AbortSignal;
  jobId?: string | null;
}

/** Keeps the first suspect per sample, only samples the finder was given, in score order (ties: the finder's order). */
function cleanSuspects(suspects: readonly Suspect[], known: Set<number>): Suspect[] {
  const seen = new Set<number>();
  const out = suspects.filter((s) => known.has(s.sampleId) && !seen.has(s.sampleId) && seen.add(s.sampleId) && Number.isFinite(s.score));
  return out.map((s, i) => ({ s, i })).sort((a, b) => b.s.score - a.s.score || a.i - b.i).map(({ s }) => s);
}

export async function runFinder(
  ws: Pick<Workspace, 'db' | 'root' | 'imagesDir'>,
  params: { finder: FinderName; datasetId: number; options: Record<string, unknown> },
  opts: RunFinderOptions = {},
): Promise<FindJobResult> {
  const { db } = ws;
  requireDataset(db, params.datasetId);
  const parsed = finderOptionSchemas[params.finder].safeParse(params.options);
  if (!parsed.success) throw new Error(`bad ${params.finder} options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const options = parsed.data as FinderOptions[FinderName];
  const finder = getFinder(params.finder) as Finder<FinderName>;
  const signal = opts.signal ?? new AbortController().signal;
  const progress = opts.onProgress ?? (() => {});
  const samples = loadFinderSamples(ws, params.datasetId);
  const runId = createRun(db, params.datasetId, params.finder, options, opts.jobId ?? null, samples.length);
  const cancelled = (): FindJobResult => {
    endRun(db, runId, 'cancelled', null);
    return { runId, finder: params.finder, suspectCount: 0, cancelled: true };
  };
  let stats: Record<string, unknown> | null = null;
  progress(0, `${params.finder}: ${samples.length} samples`);
  let suspects: Suspect[];
  try {
    suspects = await finder.run({
      db,
      workspaceRoot: ws.root,
      datasetId: params.datasetId,
      samples,
      options,
      signal,
      progress,
      stats: (s) => (stats = s),
    });
  } catch (err) {
    if (signal.aborted) return cancelled();
    endRun(db, runId, 'failed', err instanceof Error ? err.message : String(err));
    throw err;
  }
  if (signal.aborted) return cancelled();
  const clean = cleanSuspects(suspects, new Set(samples.map((s) => s.sampleId)));
  saveSuspects(db, runId, clean, stats);
  progress(1, `${clean.length} suspects`);
  return { runId, finder: params.finder, suspectCount: clean.length, cancelled: false };
}
