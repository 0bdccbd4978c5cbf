/** Duplicate groups side by side: one row per group (cross-class groups first) with every member's tile and label. */
import { useEffect, useRef } from 'react';
import type { ClassInfo } from '../../../shared/domain';
import type { SuspectView } from '../../../shared/finder-runs';
import { GridCell } from '../components/sample-grid';
import { suspectAsSample } from './finder-format';

interface DuplicateGroupsProps {
  datasetId: number;
  suspects: SuspectView[];
  classes: ClassInfo[];
  focusIndex: number;
  onFocus: (index: number) => void;
  onKeepOne: (s: SuspectView) => void;
}

const NO_SELECTION: ReadonlySet<number> = new Set();

export function DuplicateGroups({ datasetId, suspects, classes, focusIndex, onFocus, onKeepOne }: DuplicateGroupsProps) {
  const focusedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Braces: newer Chromium returns a Promise from scrollIntoView, which React would take for a cleanup function.
    void focusedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [focusIndex]);
  const groups: { group: number; members: { s: SuspectView; index: number }[] }[] = [];
  suspects.forEach((s, index) => {
    const last = groups[groups.length - 1];
    if (last && last.group === s.group) last.members.push({ s, index });
    else groups.push({ group: s.group ?? 0, members: [{ s, index }] });
  });
  return (
    <div className="dup-groups" data-testid="dup-groups">
      {groups.map(({ group, members }) => {
        const head = members[0].s;
        const cross = head.detail.crossClass === true;
        const hasFocus = members.some((m) => m.index === focusIndex);
        return (
          <section key={group} className={`dup-group${cross ? ' cross' : ''}${hasFocus ? ' has-focus' : ''}`} data-testid="dup-group" data-group={group}>
            <header className="dup-group-head">
              <span className={`dup-badge${cross ? ' cross' : ''}`}>{cross ? 'cross-class' : 'same class'}</span>
              <span className="dup-reason">
                Group {group} · {head.reason}
              </span>
            </header>
            <div className="dup-tiles">
              {members.map(({ s, index }) => (
                <div key={s.sampleId} ref={index === focusIndex ? focusedRef : undefined} className="dup-tile">
                  <GridCell
                    index={index}
                    sample={suspectAsSample(s, datasetId)}
                    focused={index === focusIndex}
                    selected={NO_SELECTION}
                    classes={classes}
                    onActivate={() => onFocus(index)}
                    note={() => (
                      <span className="dup-note">
                        {s.width}×{s.height}
                        {s.review !== 'open' ? ` · ${s.review}` : ''}{' '}
                        <button type="button" className="small link" data-testid="keep-one" onClick={() => onKeepOne(s)}>
                          Keep this one
                        </button>
                      </span>
                    )}
                  />
                </div>
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}
