/**
 * The renderer's one subscription to main-process events: each event becomes query-cache updates and
 * invalidations, so no screen subscribes on its own or keeps stale-response guards.
 */
import { useEffect } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { StudioApi } from '../../../shared/studio-api';
import { applyProgress, isLiveJob, updateJobs, upsertJob } from './jobs-cache';
import { queryKeys } from './query-keys';

/** Live eval progress refreshes run views at most this often. */
const EVAL_PROGRESS_REFRESH_MS = 1000;

export function useStudioEvents(api: StudioApi, client: QueryClient, reportError: (context: string, error: unknown) => void): void {
  useEffect(() => {
    let evalTimer: ReturnType<typeof setTimeout> | null = null;
    let lastEvalRefresh = 0;
    const refreshEvalsSoon = () => {
      if (evalTimer) return;
      evalTimer = setTimeout(
        () => {
          evalTimer = null;
          lastEvalRefresh = Date.now();
          void client.invalidateQueries({ queryKey: queryKeys.evals });
        },
        Math.max(0, lastEvalRefresh + EVAL_PROGRESS_REFRESH_MS - Date.now()),
      );
    };

    // Each trainer step is one progress event: refresh the fine-tune views at most once a second.
    let finetuneTimer: ReturnType<typeof setTimeout> | null = null;
    const refreshFinetunesSoon = () => {
      finetuneTimer ??= setTimeout(() => {
        finetuneTimer = null;
        void client.invalidateQueries({ queryKey: queryKeys.finetunes });
      }, EVAL_PROGRESS_REFRESH_MS);
    };

    const offDataset = api.on('dataset:changed', ({ datasetId }) => {
      void client.invalidateQueries({ queryKey: queryKeys.datasets });
      void client.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
    });
    // The fine-tune's evaluation or a phase stamp moved on (no job row changed): refresh its views now.
    const offFinetune = api.on('finetune:changed', () => void client.invalidateQueries({ queryKey: queryKeys.finetunes }));
    const offProgress = api.on('jobs:progress', (p) => {
      updateJobs(client, (list) => applyProgress(list, p));
      if (p.kind === 'eval') refreshEvalsSoon();
      if (p.kind === 'finetune') refreshFinetunesSoon();
    });
    const offChanged = api.on('jobs:changed', (job) => {
      updateJobs(client, (list) => upsertJob(list, job));
      if (job.kind === 'eval' || job.kind === 'robustness-derive') void client.invalidateQueries({ queryKey: queryKeys.evals });
      if (job.kind === 'finetune') void client.invalidateQueries({ queryKey: queryKeys.finetunes });
      if (isLiveJob(job)) return;
      if (job.kind === 'import') {
        void client.invalidateQueries({ queryKey: queryKeys.datasets });
        void client.invalidateQueries({ queryKey: ['dataset'] });
      }
      if ((job.kind === 'model-download' || job.kind === 'finetune' || job.kind === 'mini-vlm-create') && job.status === 'done') void client.invalidateQueries({ queryKey: queryKeys.models });
      // Main forgets its memoised provider probes when an install ends; read them again.
      if (job.kind === 'runtime-install') void client.invalidateQueries({ queryKey: queryKeys.devices });
      // A failed download is reported in the banner too (the jobs bar line is easy to miss).
      if (job.kind === 'model-download' && job.status === 'failed') reportError('Downloading the model', job.error ?? job.message);
    });
    return () => {
      offDataset();
      offFinetune();
      offProgress();
      offChanged();
      if (evalTimer) clearTimeout(evalTimer);
      if (finetuneTimer) clearTimeout(finetuneTimer);
    };
  }, [api, client, reportError]);
}
