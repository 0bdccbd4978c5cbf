/** The dataset's finder runs and which finders can run, from the query cache (refreshed by dataset:changed events). */
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export function useFinderRuns(datasetId: number | null) {
  const { api } = useStudio();
  return useQuery({
    queryKey: queryKeys.finderRuns(datasetId ?? 0),
    queryFn: () => api.finders.runs({ datasetId: datasetId ?? 0 }),
    enabled: datasetId !== null,
  });
}
