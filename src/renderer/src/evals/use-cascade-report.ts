/** A cascade run's report from the query cache; keyed under 'evals' so the eval-job invalidations refresh it as runs finish. */
import { useQuery } from '@tanstack/react-query';
import type { CascadeReport } from '../../../shared/cascade-types';
import { useStudio } from '../state/studio-context';

export function cascadeReportKey(runId: number, stage2RunId: number | null) {
  return ['evals', 'cascade-report', runId, stage2RunId] as const;
}

export function useCascadeReport(runId: number, stage2RunId: number | null, enabled: boolean): CascadeReport | null {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: cascadeReportKey(runId, stage2RunId),
    queryFn: () => api.cascade.report(stage2RunId === null ? { runId } : { runId, stage2RunId }),
    enabled,
    meta: { errorContext: 'Loading the cascade report' },
  });
  return query.data ?? null;
}
