/** Prompt lab server state: prompts, one prompt's versions, every version (pickers); kept under the evals key so finished runs refresh run counts. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PromptDetail, PromptSummary, PromptVersion, SavePromptVersionParams, SavePromptVersionResult } from '../../../shared/prompt-types';
import { useStudio } from '../state/studio-context';

/** Under ['evals']: eval jobs invalidate that prefix, and a run changes its version's run count. */
export const promptKeys = {
  all: ['evals', 'prompt-lab'] as const,
  list: ['evals', 'prompt-lab', 'list'] as const,
  detail: (promptId: number) => ['evals', 'prompt-lab', 'prompt', promptId] as const,
  versions: ['evals', 'prompt-lab', 'versions'] as const,
};

const NO_PROMPTS: PromptSummary[] = [];
const NO_VERSIONS: PromptVersion[] = [];

export function usePromptList(): { prompts: PromptSummary[]; loaded: boolean } {
  const { api } = useStudio();
  const q = useQuery({ queryKey: promptKeys.list, queryFn: () => api.prompts.list({}), meta: { errorContext: 'Loading prompts' } });
  return { prompts: q.data ?? NO_PROMPTS, loaded: q.isFetched };
}

export function usePromptDetail(promptId: number | null): PromptDetail | undefined {
  const { api } = useStudio();
  const q = useQuery({
    queryKey: promptKeys.detail(promptId ?? 0),
    queryFn: () => api.prompts.get({ promptId: promptId ?? 0 }),
    enabled: promptId !== null,
    meta: { errorContext: 'Loading the prompt' },
  });
  return promptId === null ? undefined : q.data;
}

/** Every version of every prompt (saved first, each newest first): the New eval form's picker. */
export function usePromptVersions(): PromptVersion[] {
  const { api } = useStudio();
  const q = useQuery({ queryKey: promptKeys.versions, queryFn: () => api.prompts.versions({ includeAdHoc: true }), meta: { errorContext: 'Loading prompt versions' } });
  return q.data ?? NO_VERSIONS;
}

/** Saves a version and refreshes every prompt query; errors are reported and rethrown so forms stay open. */
export function useSavePrompt(): (params: SavePromptVersionParams) => Promise<SavePromptVersionResult> {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  return useCallback(
    async (params) => {
      try {
        const result = await api.prompts.save(params);
        showToast(result.created ? `Saved ${result.version.displayName}` : `No change since ${result.version.displayName}; nothing saved`);
        await client.invalidateQueries({ queryKey: promptKeys.all });
        return result;
      } catch (error) {
        reportError('Saving the prompt', error);
        throw error;
      }
    },
    [api, client, reportError, showToast],
  );
}
