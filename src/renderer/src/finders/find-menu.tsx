/** The Data view's "Find problems" menu: start a finder (its options dialog next) or reopen a finished run's review queue. */
import { useEffect, useRef, useState } from 'react';
import { FINDER_NAMES, type FinderName } from '../../../shared/finder-types';
import { FINDER_LABELS } from './finder-format';
import { useFinderRuns } from './use-finder-runs';

interface FindMenuProps {
  datasetId: number;
  onStart: (finder: FinderName) => void;
  onOpenRun: (runId: number) => void;
}

export function FindMenu({ datasetId, onStart, onOpenRun }: FindMenuProps) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const runs = useFinderRuns(datasetId);
  const available = new Set(runs.data?.available ?? []);
  const recent = (runs.data?.runs ?? []).filter((r) => r.status === 'done').slice(0, 6);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const pick = (fn: () => void) => {
    setOpen(false);
    fn();
  };

  return (
    <div className="find-menu" ref={ref}>
      <button type="button" data-testid="find-open" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Find problems ▾
      </button>
      {open ? (
        <div className="find-menu-list" role="menu" data-testid="find-menu">
          {FINDER_NAMES.map((name) => (
            <button
              key={name}
              type="button"
              role="menuitem"
              className="find-item"
              data-testid={`find-${name}`}
              disabled={!available.has(name)}
              title={available.has(name) ? FINDER_LABELS[name].blurb : 'not available yet'}
              onClick={() => pick(() => onStart(name))}
            >
              <strong>{FINDER_LABELS[name].title}…</strong>
              <span className="muted">{available.has(name) ? FINDER_LABELS[name].blurb : 'not available yet'}</span>
            </button>
          ))}
          {recent.length > 0 ? <div className="find-menu-head">Review a finished run</div> : null}
          {recent.map((run) => (
            <button key={run.id} type="button" role="menuitem" className="find-item" data-testid="find-run" onClick={() => pick(() => onOpenRun(run.id))}>
              <span>
                {FINDER_LABELS[run.finder].title} #{run.id}
              </span>
              <span className="muted">
                {run.openCount} open of {run.suspectCount} · {new Date(run.createdAt).toLocaleString()}
              </span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
