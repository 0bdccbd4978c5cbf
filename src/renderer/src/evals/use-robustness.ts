/** Server state of the Robustness view: the dataset's snapshots, one snapshot's robustness table, and its live derive job. */
import { useQuery } from '@tanstack/react-query';
import type { DatasetVersion } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import type { RobustnessReport } from '../../../shared/robustness-types';
import { queryKeys } from '../data/query-keys';
import { useJobList } from '../state/use-jobs';
import { useStudio } from '../state/studio-context';

export function useSnapshots(datasetId: number): DatasetVersion[] | undefined {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.versions(datasetId),
    queryFn: async () => [...(await api.versions.list({ datasetId }))].sort((a, b) => a.id - b.id),
    meta: { errorContext: 'Loading snapshots' },
  }).data;
}

export function useRobustnessReport(versionId: number | null): RobustnessReport | undefined {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.robustness(versionId ?? 0),
    queryFn: () => api.robustness.report({ versionId: versionId ?? 0 }),
    enabled: versionId !== null,
    meta: { errorContext: 'Loading robustness results' },
  }).data;
}

/** The newest derive job that is queued or running (the jobs cache has no params: one at a time is shown). */
export function useLiveDeriveJob(): JobInfo | null {
  const jobs = useJobList();
  return jobs.filter((j) => j.kind === 'robustness-derive' && (j.status === 'queued' || j.status === 'running')).at(-1) ?? null;
}
