/** The overlay finder's keyword rules per dataset, read and saved through main (stored in the workspace) via the query cache. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { KeywordRules } from '../../../shared/ipc-contract-finders';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export { checkKeywords, DEFAULT_KEYWORDS } from '../../../shared/finder-keywords';

/** The rules this dataset last ran with, else the shipped defaults (undefined while loading). */
export function useKeywordRules(datasetId: number, enabled = true): KeywordRules | undefined {
  const { api } = useStudio();
  const q = useQuery({
    queryKey: queryKeys.finderKeywordRules(datasetId),
    queryFn: () => api.finders.keywordRules({ datasetId }),
    enabled,
    meta: { errorContext: 'Loading the keyword rules' },
  });
  return q.data;
}

/** Saves the rules a run starts with (so the next run on this dataset starts from them) and puts main's answer in the cache. */
export function useSaveKeywordRules(): (datasetId: number, keywords: string[]) => Promise<KeywordRules> {
  const { api } = useStudio();
  const client = useQueryClient();
  return useCallback(
    async (datasetId, keywords) => {
      const saved = await api.finders.saveKeywordRules({ datasetId, keywords });
      client.setQueryData(queryKeys.finderKeywordRules(datasetId), saved);
      return saved;
    },
    [api, client],
  );
}
