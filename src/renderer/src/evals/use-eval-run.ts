/** One eval run from the query cache, kept fresh while its job runs by the eval-job invalidations in studio-events. */
import { useQuery } from '@tanstack/react-query';
import type { EvalRun } from '../../../shared/eval-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export function useEvalRun(runId: number): EvalRun | null {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.evalRun(runId),
    queryFn: () => api.evals.get({ runId }),
    meta: { errorContext: 'Loading the eval run' },
  });
  return query.data ?? null;
}
