/** Calls `onChange` when an eval job changes state, and at most once a second while one reports progress. */
import { useEffect, useRef } from 'react';
import { useStudio } from '../state/studio-context';

const PROGRESS_REFRESH_MS = 1000;

export function useEvalEvents(onChange: () => void): void {
  const { api } = useStudio();
  const ref = useRef(onChange);
  ref.current = onChange;
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const offProgress = api.on('jobs:progress', (p) => {
      if (p.kind !== 'eval' || timer) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          ref.current();
        },
        Math.max(0, last + PROGRESS_REFRESH_MS - Date.now()),
      );
    });
    const offChanged = api.on('jobs:changed', (job) => {
      if (job.kind === 'eval') ref.current();
    });
    return () => {
      offProgress();
      offChanged();
      if (timer) clearTimeout(timer);
    };
  }, [api]);
}
