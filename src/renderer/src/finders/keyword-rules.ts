/** The overlay finder's keyword rules per dataset, read and saved through main (stored in the workspace) via the query cache. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keywordRulesSchema } from '../../../shared/finder-keywords';
import type { KeywordRules } from '../../../shared/ipc-contract-finders';
import type { StudioApi } from '../../../shared/studio-api';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export { checkKeywords, DEFAULT_KEYWORDS } from '../../../shared/finder-keywords';

/** Where earlier builds kept the rules (one browser profile only); read once, moved into the workspace, then removed. */
const legacyKey = (datasetId: number) => `vcs.finders.overlays.keywords.${datasetId}`;

/** Main's rules; while they are still the defaults, valid rules left in this browser's localStorage by an earlier build are moved there. */
async function fetchKeywordRules(api: StudioApi, datasetId: number): Promise<KeywordRules> {
  const rules = await api.finders.keywordRules({ datasetId });
  let legacy: unknown = null;
  try {
    const raw = window.localStorage.getItem(legacyKey(datasetId));
    legacy = raw === null ? null : JSON.parse(raw);
  } catch {
    legacy = null; // unreadable storage or JSON: nothing to move
  }
  if (legacy === null) return rules;
  const parsed = keywordRulesSchema.safeParse(legacy);
  const moved = rules.isDefault && parsed.success ? await api.finders.saveKeywordRules({ datasetId, keywords: parsed.data }) : rules;
  window.localStorage.removeItem(legacyKey(datasetId));
  return moved;
}

/** The rules this dataset last ran with, else the shipped defaults (undefined while loading). */
export function useKeywordRules(datasetId: number, enabled = true): KeywordRules | undefined {
  const { api } = useStudio();
  const q = useQuery({
    queryKey: queryKeys.finderKeywordRules(datasetId),
    queryFn: () => fetchKeywordRules(api, datasetId),
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
