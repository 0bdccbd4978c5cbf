/** Workspace dataset list from the query cache (invalidated by 'dataset:changed' and finished imports). */
import { useQuery } from '@tanstack/react-query';
import type { DatasetSummary } from '../../../shared/domain';
import { queryKeys } from '../data/query-keys';
import { useStudio } from './studio-context';

export interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
}

const NONE: DatasetSummary[] = [];

export function useDatasets(): DatasetsState {
  const { api } = useStudio();
  const query = useQuery({
    queryKey: queryKeys.datasets,
    queryFn: () => api.datasets.list({}),
    meta: { errorContext: 'Loading datasets' },
  });
  return { datasets: query.data ?? NONE, loaded: query.isFetched };
}
