/** One eval run, kept fresh while its job runs (progress counts, then metrics when it finishes). */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import { useStudio } from '../state/studio-context';
import { useEvalEvents } from './use-eval-events';

export function useEvalRun(runId: number): { run: EvalRun | null; refresh: () => Promise<void> } {
  const { api, reportError } = useStudio();
  const [run, setRun] = useState<EvalRun | null>(null);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    try {
      const next = await api.evals.get({ runId });
      if (gen === generation.current) setRun(next);
    } catch (error) {
      reportError('Loading the eval run', error);
    }
  }, [api, runId, reportError]);

  useEffect(() => {
    setRun(null);
    void refresh();
  }, [refresh]);
  useEvalEvents(() => void refresh());

  return { run, refresh };
}
