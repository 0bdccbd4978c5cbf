/** Small presentational pieces shared by the table, the grid and the detail panel. */
import type { CSSProperties } from 'react';
import type { ClassInfo, Sample } from '../../../shared/domain';
import { classColor } from '../lib/class-color';

export function LabelBadge({ sample, classes }: { sample: Sample; classes: ClassInfo[] }) {
  if (sample.label === null) return <span className="badge badge-unlabelled">unlabelled</span>;
  const position = classes.findIndex((c) => c.id === sample.classId);
  return (
    <span className="badge" style={{ '--badge-color': classColor(position) } as CSSProperties}>
      {position >= 0 && position < 9 ? <kbd className="badge-key">{position + 1}</kbd> : null}
      {sample.label}
    </span>
  );
}

export function StatusBadge({ sample }: { sample: Sample }) {
  return sample.status === 'dropped' ? (
    <span className="status status-dropped">dropped</span>
  ) : (
    <span className="status status-active">active</span>
  );
}

export function SplitBadge({ split }: { split: Sample['split'] }) {
  if (split === null) return <span className="muted">—</span>;
  return <span className={`split split-${split}`}>{split}</span>;
}
