/** Which finder run the Data view reviews (null: all samples), its focused suspect for the detail panel, and opening a run's queue when the find job started here finishes. */
import { useCallback, useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ClassInfo, Sample } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/jobs';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

export interface FinderReviewState {
  runId: number | null;
  open: (runId: number) => void;
  exit: () => void;
  /** A find job just started from the UI: its queue opens when it is done. */
  follow: (jobId: string) => void;
  /** The queue's focused suspect, shown in the detail panel while reviewing. */
  focusSample: Sample | undefined;
  setFocusSample: (sample: Sample | undefined) => void;
  /** The detail panel's "Label as…" while reviewing: a review relabel of the focused suspect (audited with the run). */
  relabelFocused: (classInfo: ClassInfo | null) => Promise<void>;
}

export function useFinderReview(datasetId: number | null, jobs: JobInfo[], onFound: (message: string) => void): FinderReviewState {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const [runId, setRunId] = useState<number | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [focusSample, setFocusSample] = useState<Sample | undefined>(undefined);
  useEffect(() => setRunId(null), [datasetId]);
  const finished = jobs.find((j) => j.id === pending && j.status !== 'queued' && j.status !== 'running');
  useEffect(() => {
    if (!finished || finished.kind !== 'find') return;
    setPending(null);
    if (finished.status === 'done' && finished.result && !finished.result.cancelled) {
      setRunId(finished.result.runId);
      onFound(`${finished.result.finder}: ${finished.result.suspectCount} suspect${finished.result.suspectCount === 1 ? '' : 's'} to review`);
    }
  }, [finished, onFound]);
  const relabelFocused = useCallback(
    async (classInfo: ClassInfo | null) => {
      if (runId === null || datasetId === null || !focusSample) return;
      if (!classInfo) return showToast('A review relabels to a class; use the Data view to remove a label');
      try {
        const result = await api.finders.review({ runId, action: { kind: 'relabel', sampleIds: [focusSample.id], classId: classInfo.id } });
        client.setQueryData(queryKeys.undo(datasetId), result.undo);
        await client.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
        showToast(`Relabelled → ${classInfo.name} · Z to undo`);
      } catch (error) {
        reportError('Relabelling the suspect', error);
      }
    },
    [api, client, datasetId, runId, focusSample, showToast, reportError],
  );
  return { runId, open: setRunId, exit: () => setRunId(null), follow: setPending, focusSample, setFocusSample, relabelFocused };
}
