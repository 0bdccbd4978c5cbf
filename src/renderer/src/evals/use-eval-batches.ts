/** Server state of the Matrix view: a dataset's prompt × model batches and one batch (refreshed by its cells' eval jobs). */
import { useQuery } from '@tanstack/react-query';
import type { EvalBatch } from '../../../shared/eval-matrix';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

const NONE: EvalBatch[] = [];

export function useEvalBatches(datasetId: number): { batches: EvalBatch[]; loaded: boolean } {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.evalBatches(datasetId),
    queryFn: () => api.batches.list({ datasetId }),
    meta: { errorContext: 'Loading matrices' },
  });
  return { batches: query.data ?? NONE, loaded: query.isFetched };
}

export function useEvalBatch(batchId: number): EvalBatch | undefined {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.evalBatch(batchId),
    queryFn: () => api.batches.get({ batchId }),
    meta: { errorContext: 'Loading the matrix' },
  }).data;
}
