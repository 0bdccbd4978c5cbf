/** A finder run's review queue: its suspects from the query cache, the focused one, and review actions (audited edits with the run as source). */
import { useCallback, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReviewAction, SuspectView } from '../../../shared/finder-runs';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export interface Review {
  loading: boolean;
  run: import('../../../shared/finder-runs').FinderRun | null;
  /** The suspects on screen (open ones, or all when showReviewed), in rank order. */
  shown: SuspectView[];
  all: SuspectView[];
  focusIndex: number;
  setFocus: (index: number) => void;
  focused: SuspectView | undefined;
  showReviewed: boolean;
  setShowReviewed: (on: boolean) => void;
  act: (action: ReviewAction, toast: string) => Promise<void>;
}

export function useReview(datasetId: number, runId: number): Review {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const [focusIndex, setFocusIndex] = useState(0);
  const [showReviewed, setShowReviewed] = useState(false);
  const query = useQuery({
    queryKey: queryKeys.finderSuspects(datasetId, runId),
    queryFn: () => api.finders.suspects({ runId }),
  });
  const all = useMemo(() => query.data?.suspects ?? [], [query.data]);
  const shown = useMemo(() => (showReviewed ? all : all.filter((s) => s.review === 'open')), [all, showReviewed]);
  const clamped = shown.length === 0 ? -1 : Math.min(Math.max(0, focusIndex), shown.length - 1);

  const act = useCallback(
    async (action: ReviewAction, toast: string) => {
      try {
        const result = await api.finders.review({ runId, action });
        client.setQueryData(queryKeys.undo(datasetId), result.undo);
        await client.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
        showToast(result.change ? `${toast} · Z to undo` : toast);
      } catch (error) {
        reportError('Reviewing the suspect', error);
      }
    },
    [api, client, datasetId, runId, showToast, reportError],
  );

  return {
    loading: query.isLoading,
    run: query.data?.run ?? null,
    shown,
    all,
    focusIndex: clamped,
    setFocus: setFocusIndex,
    focused: clamped >= 0 ? shown[clamped] : undefined,
    showReviewed,
    setShowReviewed,
    act,
  };
}
