/** Fine-tune server state from the one query cache: the list, one job, its metrics rows and its train.log tail. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FinetuneMetricLine } from '../../../shared/finetune-types';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { LIVE_REFETCH_MS } from './finetune-format';

/** The log tail keeps at most this many characters. */
const LOG_KEEP_CHARS = 200_000;
const NONE: FinetuneJob[] = [];

export const isLiveFinetune = (ft: FinetuneJob | undefined): boolean => ft?.job.status === 'queued' || ft?.job.status === 'running';

export function useFinetunes(): { finetunes: FinetuneJob[]; loaded: boolean } {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.finetuneList,
    queryFn: () => api.finetunes.list({}),
    refetchInterval: (q) => (q.state.data?.some(isLiveFinetune) ? LIVE_REFETCH_MS : false),
    meta: { errorContext: 'Loading fine-tunes' },
  });
  return { finetunes: query.data ?? NONE, loaded: query.isFetched };
}

export function useFinetune(jobId: string): FinetuneJob | undefined {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.finetune(jobId),
    queryFn: () => api.finetunes.get({ jobId }),
    refetchInterval: (q) => (isLiveFinetune(q.state.data) ? LIVE_REFETCH_MS : false),
    meta: { errorContext: 'Loading the fine-tune' },
  }).data;
}

export function useFinetuneMetrics(jobId: string, live: boolean): FinetuneMetricLine[] | undefined {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.finetuneMetrics(jobId),
    queryFn: () => api.finetunes.metrics({ jobId }),
    refetchInterval: live ? LIVE_REFETCH_MS : false,
    meta: { errorContext: 'Reading the training metrics' },
  }).data;
}

export interface LogTail {
  text: string;
  nextOffset: number;
  /** Characters dropped from the front to keep the tail bounded. */
  trimmed: boolean;
}

/** Each fetch continues from the cached tail's byte offset (64 KB a call, a few calls at most) and appends. */
export function useFinetuneLog(jobId: string, live: boolean): LogTail | undefined {
  const { api } = useStudio();
  const client = useQueryClient();
  return useQuery({
    queryKey: queryKeys.finetuneLog(jobId),
    queryFn: async (): Promise<LogTail> => {
      const prev = client.getQueryData<LogTail>(queryKeys.finetuneLog(jobId)) ?? { text: '', nextOffset: 0, trimmed: false };
      let { text, nextOffset, trimmed } = prev;
      for (let i = 0; i < 8; i++) {
        const chunk = await api.finetunes.log({ jobId, offset: nextOffset });
        // A shorter file than we have read means it was rewritten: start over.
        if (chunk.size < nextOffset) return { text: '', nextOffset: 0, trimmed: false };
        text += chunk.text;
        nextOffset = chunk.nextOffset;
        if (chunk.nextOffset >= chunk.size || chunk.text === '') break;
      }
      if (text.length > LOG_KEEP_CHARS) {
        text = text.slice(text.length - LOG_KEEP_CHARS);
        trimmed = true;
      }
      return { text, nextOffset, trimmed };
    },
    refetchInterval: live ? LIVE_REFETCH_MS : false,
    meta: { errorContext: 'Reading train.log' },
  }).data;
}
