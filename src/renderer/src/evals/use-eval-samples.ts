/** One run's filtered, sorted sample rows, paged on the query cache; eval progress invalidates them (see studio-events). */
import { useMemo } from 'react';
import type { EvalOutcome, EvalSamplePage, EvalSampleView } from '../../../shared/eval-views';
import { queryKeys } from '../data/query-keys';
import { usePagedQuery } from '../data/use-paged-query';
import { useStudio } from '../state/studio-context';

const PAGE = 100;

export type OutcomeFilter = EvalOutcome | 'all';
export type SampleSort = 'position' | 'confidence-asc' | 'confidence-desc' | 'latency-desc';
/** The sample sorts, in menu order. */
export const SAMPLE_SORTS: { id: SampleSort; label: string }[] = [
  { id: 'position', label: 'Run order' },
  { id: 'confidence-asc', label: 'Least confident first' },
  { id: 'confidence-desc', label: 'Most confident first' },
  { id: 'latency-desc', label: 'Slowest first' },
];

export interface EvalSampleFilter {
  outcome: OutcomeFilter;
  /** Confusion-matrix cell: truth label and prediction ('' = off-label). */
  cell: { truth: string; prediction: string } | null;
  sort: SampleSort;
  /** Results-grid filters (the cell, when set, wins over truth/prediction). */
  truth?: string;
  prediction?: string;
  minConfidence?: number;
  maxConfidence?: number;
}

export const ALL_SAMPLES: EvalSampleFilter = { outcome: 'all', cell: null, sort: 'position' };
const NO_COUNTS: Record<EvalOutcome, number> = { correct: 0, wrong: 0, 'off-label': 0, error: 0, pending: 0 };

export interface EvalSamples {
  total: number;
  ready: boolean;
  counts: Record<EvalOutcome, number>;
  revision: number;
  getRow: (index: number) => EvalSampleView | undefined;
  ensureRange: (start: number, end: number) => void;
  /** Re-reads the loaded pages (after an edit from the grid changed a sample's current label). */
  refresh: () => Promise<void>;
}

export function useEvalSamples(runId: number, filter: EvalSampleFilter): EvalSamples {
  const { api } = useStudio();
  const baseKey = useMemo(() => queryKeys.evalSamples(runId), [runId]);
  const paged = usePagedQuery<EvalSampleView, EvalSamplePage>({
    baseKey,
    query: JSON.stringify(filter),
    pageSize: PAGE,
    enabled: true,
    fetchPage: (offset) =>
      api.evals.samples({
        runId,
        filter: {
          outcome: filter.outcome,
          sort: filter.sort,
          truth: filter.cell?.truth ?? filter.truth,
          prediction: filter.cell ? filter.cell.prediction : filter.prediction,
          minConfidence: filter.minConfidence,
          maxConfidence: filter.maxConfidence,
        },
        offset,
        limit: PAGE,
      }),
    errorContext: 'Loading eval samples',
  });
  return {
    total: paged.total,
    ready: paged.ready,
    counts: paged.firstPage?.outcomeCounts ?? NO_COUNTS,
    revision: paged.revision,
    getRow: paged.getRow,
    ensureRange: paged.ensureRange,
    refresh: paged.refresh,
  };
}
