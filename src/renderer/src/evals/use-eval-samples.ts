/** Page cache over one run's filtered, sorted sample rows: pages load as rows scroll in; it resets on a new filter or more finished rows. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EvalOutcome, EvalSampleView } from '../../../shared/eval-views';
import { useStudio } from '../state/studio-context';

const PAGE = 100;

export type OutcomeFilter = EvalOutcome | 'all';
export type SampleSort = 'position' | 'confidence-asc' | 'confidence-desc' | 'latency-desc';

export interface EvalSampleFilter {
  outcome: OutcomeFilter;
  /** Confusion-matrix cell: truth label and prediction ('' = off-label). */
  cell: { truth: string; prediction: string } | null;
  sort: SampleSort;
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
}

/** `version` changes (e.g. the run's done count) re-query from scratch. */
export function useEvalSamples(runId: number, filter: EvalSampleFilter, version: number): EvalSamples {
  const { api, reportError } = useStudio();
  const cache = useRef(new Map<number, EvalSampleView[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState(0);
  const [ready, setReady] = useState(false);
  const [counts, setCounts] = useState(NO_COUNTS);
  const [revision, setRevision] = useState(0);
  const query = useRef({ runId, filter });
  query.current = { runId, filter };
  const key = JSON.stringify([runId, filter, version]);

  const loadPage = useCallback(
    (offset: number) => {
      if (cache.current.has(offset) || inflight.current.has(offset)) return;
      const gen = generation.current;
      const { runId: id, filter: f } = query.current;
      inflight.current.add(offset);
      api.evals
        .samples({
          runId: id,
          filter: { outcome: f.outcome, sort: f.sort, ...(f.cell ? { truth: f.cell.truth, prediction: f.cell.prediction } : {}) },
          offset,
          limit: PAGE,
        })
        .then((page) => {
          if (gen !== generation.current) return;
          cache.current.set(offset, page.rows);
          setTotal(page.total);
          setCounts(page.outcomeCounts);
          setReady(true);
          setRevision((r) => r + 1);
        })
        .catch((error: unknown) => {
          if (gen === generation.current) reportError('Loading eval samples', error);
        })
        .finally(() => {
          if (gen === generation.current) inflight.current.delete(offset);
        });
    },
    [api, reportError],
  );

  useEffect(() => {
    generation.current++;
    cache.current = new Map();
    inflight.current = new Set();
    setReady(false);
    setRevision((r) => r + 1);
    loadPage(0);
  }, [key, loadPage]);

  const getRow = useCallback((index: number) => {
    const offset = Math.floor(index / PAGE) * PAGE;
    return cache.current.get(offset)?.[index - offset];
  }, []);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      for (let offset = Math.floor(Math.max(0, start) / PAGE) * PAGE; offset <= end; offset += PAGE) loadPage(offset);
    },
    [loadPage],
  );

  return { total, ready, counts, revision, getRow, ensureRange };
}
