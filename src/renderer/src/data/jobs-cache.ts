/** The jobs bar's list lives in the query cache under queryKeys.jobs; these pure updaters keep a finished job from turning live again. */
import type { QueryClient } from '@tanstack/react-query';
import type { JobInfo, JobProgress } from '../../../shared/jobs';
import { queryKeys } from './query-keys';

export const isLiveJob = (job: JobInfo): boolean => job.status === 'queued' || job.status === 'running';

export function placeholderJob(id: string, kind: JobInfo['kind'], status: JobInfo['status'], message: string): JobInfo {
  return { id, kind, status, value: 0, message, createdAt: new Date().toISOString(), finishedAt: null, error: null, result: null };
}

/** Merges a job snapshot; a late 'running' snapshot never overwrites a finished job. */
export function upsertJob(list: JobInfo[], job: JobInfo): JobInfo[] {
  const index = list.findIndex((j) => j.id === job.id);
  if (index < 0) return [...list, job];
  const old = list[index];
  if (!isLiveJob(old) && isLiveJob(job)) return list;
  const next = [...list];
  next[index] = { ...old, ...job };
  return next;
}

export function applyProgress(list: JobInfo[], p: JobProgress): JobInfo[] {
  const old = list.find((j) => j.id === p.jobId);
  if (old && !isLiveJob(old)) return list;
  const base = old ?? placeholderJob(p.jobId, p.kind, 'running', '');
  return upsertJob(list, { ...base, status: 'running', value: p.value, message: p.message });
}

export function updateJobs(client: QueryClient, update: (list: JobInfo[]) => JobInfo[]): void {
  client.setQueryData<JobInfo[]>(queryKeys.jobs, (list) => update(list ?? []));
}
