/**
 * Jobs for the bottom bar, held in the query cache (seeded from api.jobs.list, then kept current by studio-events).
 * Finished jobs stay as a result line (imports with their report) until dismissed.
 */
import { useCallback } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportReport } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import { isLiveJob, placeholderJob, updateJobs, upsertJob } from '../data/jobs-cache';
import { queryKeys } from '../data/query-keys';
import { useStudio } from './studio-context';

export interface JobsState {
  jobs: JobInfo[];
  reports: ReadonlyMap<string, ImportReport>;
  track: (jobId: string, kind: JobInfo['kind']) => void;
  cancel: (jobId: string) => Promise<void>;
  dismiss: (jobId: string) => void;
}

const NONE: JobInfo[] = [];

/** The cached job list; the first reader seeds it with the jobs still live in main. */
export function useJobList(): JobInfo[] {
  const { api } = useStudio();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.jobs,
    queryFn: async () => {
      const live = (await api.jobs.list({})).filter(isLiveJob);
      const known = client.getQueryData<JobInfo[]>(queryKeys.jobs) ?? [];
      return live.reduce(upsertJob, known);
    },
    meta: { errorContext: 'Loading jobs' },
  });
  return query.data ?? NONE;
}

export function useJobs(): JobsState {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const jobs = useJobList();
  const doneImports = jobs.filter((j): j is Extract<JobInfo, { kind: 'import' }> => j.kind === 'import' && j.status === 'done');
  const reportQueries = useQueries({
    queries: doneImports.map((job) => ({
      queryKey: queryKeys.jobReport(job.id),
      queryFn: () => findImportReport(api, job),
      meta: { errorContext: 'Loading the import report' },
    })),
  });
  const reports = new Map<string, ImportReport>();
  reportQueries.forEach((q, i) => {
    if (q.data) reports.set(doneImports[i].id, q.data);
  });

  const track = useCallback(
    (jobId: string, kind: JobInfo['kind']) => {
      updateJobs(client, (list) => (list.some((j) => j.id === jobId) ? list : [...list, placeholderJob(jobId, kind, 'queued', 'Starting…')]));
      // The job may have finished before its events arrived: read its current state once.
      api.jobs
        .get({ jobId })
        .then((job) => updateJobs(client, (list) => upsertJob(list, job)))
        .catch((error: unknown) => reportError('Reading job state', error));
    },
    [api, client, reportError],
  );

  const cancel = useCallback(
    async (jobId: string) => {
      try {
        await api.jobs.cancel({ jobId });
      } catch (error) {
        reportError('Cancelling the job', error);
      }
    },
    [api, reportError],
  );

  const dismiss = useCallback((jobId: string) => updateJobs(client, (list) => list.filter((j) => j.id !== jobId)), [client]);

  return { jobs, reports, track, cancel, dismiss };
}

/** The report a finished import wrote (its result names the report and dataset). */
async function findImportReport(api: ReturnType<typeof useStudio>['api'], job: Extract<JobInfo, { kind: 'import' }>): Promise<ImportReport | null> {
  if (!job.result) return null;
  const { reportId, datasetId } = job.result;
  return (await api.datasets.importReports({ datasetId })).find((r) => r.id === reportId) ?? null;
}
