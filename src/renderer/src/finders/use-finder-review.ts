/** Which finder run the Data view reviews (null: all samples), and opening a run's queue when the find job started here finishes. */
import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../shared/jobs';

export interface FinderReviewState {
  runId: number | null;
  open: (runId: number) => void;
  exit: () => void;
  /** A find job just started from the UI: its queue opens when it is done. */
  follow: (jobId: string) => void;
}

export function useFinderReview(datasetId: number | null, jobs: JobInfo[], onFound: (message: string) => void): FinderReviewState {
  const [runId, setRunId] = useState<number | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => setRunId(null), [datasetId]);
  const finished = jobs.find((j) => j.id === pending && j.status !== 'queued' && j.status !== 'running');
  useEffect(() => {
    if (!finished || finished.kind !== 'find') return;
    setPending(null);
    if (finished.status === 'done' && finished.result && !finished.result.cancelled) {
      setRunId(finished.result.runId);
      onFound(`${finished.result.finder}: ${finished.result.suspectCount} suspects to review`);
    }
  }, [finished, onFound]);
  return { runId, open: setRunId, exit: () => setRunId(null), follow: setPending };
}
