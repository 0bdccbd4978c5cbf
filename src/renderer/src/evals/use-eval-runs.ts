/** The current dataset's eval runs (newest first) from the query cache, plus whether an eval job is live (from the jobs cache). */
import { useQuery } from '@tanstack/react-query';
import type { EvalRun } from '../../../shared/eval-types';
import { queryKeys } from '../data/query-keys';
import { useJobList } from '../state/use-jobs';
import { useStudio } from '../state/studio-context';

export interface EvalRunsState {
  runs: EvalRun[];
  loaded: boolean;
  /** True when some eval job is queued or running (a 'running' run without one was interrupted). */
  evalJobLive: boolean;
}

const NONE: EvalRun[] = [];

export function useEvalRuns(datasetId: number | null): EvalRunsState {
  const { api } = useStudio();
  const id = datasetId ?? 0;
  const query = useQuery({
    queryKey: queryKeys.evalRuns(id),
    queryFn: async () => [...(await api.evals.list({ datasetId: id }))].sort((a, b) => b.id - a.id),
    enabled: datasetId !== null,
    meta: { errorContext: 'Loading eval runs' },
  });
  const evalJobLive = useEvalJobLive();
  return { runs: query.data ?? NONE, loaded: datasetId === null || query.isFetched, evalJobLive };
}

export function useEvalJobLive(): boolean {
  const jobs = useJobList();
  return jobs.some((j) => j.kind === 'eval' && (j.status === 'queued' || j.status === 'running'));
}
