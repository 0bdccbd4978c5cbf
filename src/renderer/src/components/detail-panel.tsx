/** Right-hand inspector for the focused sample: large image, file facts, label/split/status and notes. */
import type { ClassInfo, Sample } from '../../../shared/domain';
import { mediaUrl } from '../api';
import { formatBytes, formatDate } from '../lib/format';
import { NotesEditor } from './notes-editor';
import { LabelBadge, SplitBadge, StatusBadge } from './sample-cells';

interface DetailPanelProps {
  sample: Sample | undefined;
  classes: ClassInfo[];
  selectedCount: number;
  onSaveNotes: (sample: Sample, notes: string) => Promise<void>;
  onRelabel: (classInfo: ClassInfo | null) => void;
}

export function DetailPanel({ sample, classes, selectedCount, onSaveNotes, onRelabel }: DetailPanelProps) {
  if (!sample) {
    return (
      <aside className="detail-panel empty" data-testid="detail-panel">
        <p className="muted">Click a sample or use the arrow keys to inspect it here.</p>
        <p className="muted">
          Press <kbd>?</kbd> for all keyboard shortcuts.
        </p>
      </aside>
    );
  }
  return (
    <aside className="detail-panel" data-testid="detail-panel" data-sample-id={sample.id}>
      <div className={`detail-image${sample.status === 'dropped' ? ' dropped' : ''}`}>
        <img src={mediaUrl('image', sample.id)} alt={sample.originalPath} data-testid="detail-image" />
      </div>
      {selectedCount > 0 ? (
        <div className="detail-selection">
          {selectedCount} selected — keys act on the selection (Esc clears)
        </div>
      ) : null}
      <dl className="detail-facts">
        <dt>Sample</dt>
        <dd>#{sample.id}</dd>
        <dt>Label</dt>
        <dd data-testid="detail-label" className="detail-label">
          <LabelBadge sample={sample} classes={classes} />
          <select
            aria-label="Label as"
            className="small-select"
            data-testid="detail-relabel"
            value=""
            onChange={(e) => {
              const value = e.target.value;
              if (value === 'none') onRelabel(null);
              else if (value) onRelabel(classes.find((c) => c.id === Number(value)) ?? null);
            }}
          >
            <option value="">Label as…</option>
            {classes.map((c, i) => (
              <option key={c.id} value={c.id}>
                {i < 9 ? `${i + 1} · ` : ''}
                {c.name}
              </option>
            ))}
            <option value="none">0 · unlabelled</option>
          </select>
        </dd>
        <dt>Split</dt>
        <dd>
          <SplitBadge split={sample.split} />
        </dd>
        <dt>Status</dt>
        <dd data-testid="detail-status">
          <StatusBadge sample={sample} />
          {sample.dropReason ? <span className="detail-reason"> — {sample.dropReason}</span> : null}
        </dd>
        <dt>Path</dt>
        <dd className="detail-path" title={sample.originalPath}>
          {sample.originalPath}
        </dd>
        <dt>Image</dt>
        <dd>
          {sample.width}×{sample.height} {sample.format} · {formatBytes(sample.bytes)}
        </dd>
        <dt>Hash</dt>
        <dd className="mono small" title={sample.imageHash}>
          {sample.imageHash.slice(0, 16)}…
        </dd>
        <dt>Updated</dt>
        <dd>{formatDate(sample.updatedAt)}</dd>
      </dl>
      <NotesEditor key={sample.id} sample={sample} onSave={onSaveNotes} />
    </aside>
  );
}
