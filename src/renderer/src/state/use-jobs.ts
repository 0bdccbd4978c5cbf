/**
 * Live jobs for the bottom bar: seeded from api.jobs.list, updated by 'jobs:progress' and
 * 'jobs:changed'. Finished jobs stay as a result line (with their import report) until dismissed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportReport } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import { importDatasetId, importReportId } from '../lib/job-result';
import { useStudio } from './studio-context';

export interface JobsState {
  jobs: JobInfo[];
  reports: ReadonlyMap<string, ImportReport>;
  track: (jobId: string, kind: JobInfo['kind'], meta?: { datasetName?: string }) => void;
  cancel: (jobId: string) => Promise<void>;
  dismiss: (jobId: string) => void;
}

const isLive = (job: JobInfo) => job.status === 'queued' || job.status === 'running';

export function useJobs(onImportDone: (report: ImportReport) => void): JobsState {
  const { api, reportError } = useStudio();
  const [jobs, setJobs] = useState<Map<string, JobInfo>>(new Map());
  const [reports, setReports] = useState<Map<string, ImportReport>>(new Map());
  const datasetNames = useRef(new Map<string, string>());
  const resolved = useRef(new Set<string>());
  const onDone = useRef(onImportDone);
  onDone.current = onImportDone;

  const upsert = useCallback((job: JobInfo) => {
    setJobs((prev) => {
      const old = prev.get(job.id);
      // A late snapshot must not turn a finished job back into a running one.
      if (old && !isLive(old) && isLive(job)) return prev;
      return new Map(prev).set(job.id, { ...old, ...job });
    });
  }, []);

  const resolveReport = useCallback(
    async (job: JobInfo) => {
      if (resolved.current.has(job.id)) return;
      resolved.current.add(job.id);
      try {
        const reportId = importReportId(job.result);
        const datasets = await api.datasets.list({});
        const name = datasetNames.current.get(job.id)?.toLowerCase();
        const knownId = importDatasetId(job.result);
        const candidates = datasets.filter((d) => d.id === knownId || d.name.toLowerCase() === name);
        for (const dataset of candidates.length > 0 ? candidates : datasets) {
          const list = await api.datasets.importReports({ datasetId: dataset.id });
          const report = reportId === null ? list[list.length - 1] : list.find((r) => r.id === reportId);
          if (report) {
            setReports((prev) => new Map(prev).set(job.id, report));
            onDone.current(report);
            return;
          }
        }
      } catch (error) {
        reportError('Loading the import report', error);
      }
    },
    [api, reportError],
  );

  useEffect(() => {
    let alive = true;
    api.jobs
      .list({})
      .then((list) => {
        if (!alive) return;
        setJobs((prev) => {
          const next = new Map(prev);
          for (const job of list) if (isLive(job) && !next.has(job.id)) next.set(job.id, job);
          return next;
        });
      })
      .catch((error: unknown) => reportError('Loading jobs', error));
    const offProgress = api.on('jobs:progress', (p) => {
      setJobs((prev) => {
        const old = prev.get(p.jobId);
        if (old && !isLive(old)) return prev;
        const base: JobInfo = old ?? {
          id: p.jobId,
          kind: p.kind,
          status: 'running',
          value: 0,
          message: '',
          createdAt: new Date().toISOString(),
          finishedAt: null,
          error: null,
          result: null,
        };
        return new Map(prev).set(p.jobId, { ...base, status: 'running', value: p.value, message: p.message });
      });
    });
    const offChanged = api.on('jobs:changed', (job) => upsert(job));
    return () => {
      alive = false;
      offProgress();
      offChanged();
    };
  }, [api, upsert, reportError]);

  // Fetch the report once for each finished import.
  useEffect(() => {
    for (const job of jobs.values()) {
      if (job.kind === 'import' && job.status === 'done') void resolveReport(job);
    }
  }, [jobs, resolveReport]);

  const track = useCallback(
    (jobId: string, kind: JobInfo['kind'], meta?: { datasetName?: string }) => {
      if (meta?.datasetName) datasetNames.current.set(jobId, meta.datasetName);
      setJobs((prev) => {
        if (prev.has(jobId)) return prev;
        const job: JobInfo = {
          id: jobId,
          kind,
          status: 'queued',
          value: 0,
          message: 'Starting…',
          createdAt: new Date().toISOString(),
          finishedAt: null,
          error: null,
          result: null,
        };
        return new Map(prev).set(jobId, job);
      });
      // The job may have finished before we subscribed: read its current state once.
      api.jobs
        .get({ jobId })
        .then((job) => upsert(job))
        .catch((error: unknown) => reportError('Reading job state', error));
    },
    [api, upsert, reportError],
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

  const dismiss = useCallback((jobId: string) => {
    setJobs((prev) => {
      const next = new Map(prev);
      next.delete(jobId);
      return next;
    });
  }, []);

  return { jobs: [...jobs.values()], reports, track, cancel, dismiss };
}
