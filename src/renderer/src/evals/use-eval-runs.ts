/** The current dataset's eval runs, reloaded when an eval job changes (and, throttled, while one reports progress). */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import { useStudio } from '../state/studio-context';
import { useEvalEvents } from './use-eval-events';

export interface EvalRunsState {
  runs: EvalRun[];
  loaded: boolean;
  /** True when some eval job is queued or running (a 'running' run without one was interrupted). */
  evalJobLive: boolean;
  refresh: () => Promise<void>;
}

export function useEvalRuns(datasetId: number | null): EvalRunsState {
  const { api, reportError } = useStudio();
  const [runs, setRuns] = useState<EvalRun[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [evalJobLive, setEvalJobLive] = useState(false);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    if (datasetId === null) {
      setRuns([]);
      setLoaded(true);
      return;
    }
    try {
      const [list, jobs] = await Promise.all([api.evals.list({ datasetId }), api.jobs.list({})]);
      if (gen !== generation.current) return;
      setRuns([...list].sort((a, b) => b.id - a.id));
      setEvalJobLive(jobs.some((j) => j.kind === 'eval' && (j.status === 'queued' || j.status === 'running')));
      setLoaded(true);
    } catch (error) {
      reportError('Loading eval runs', error);
    }
  }, [api, datasetId, reportError]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEvalEvents(() => void refresh());

  return { runs, loaded, evalJobLive, refresh };
}
