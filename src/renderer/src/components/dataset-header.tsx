/** The Data view's header: dataset name and counts, the view/undo/split/snapshot actions, "Find problems" and History. */
import type { DatasetSummary, UndoState } from '../../../shared/domain';
import { FindMenu } from '../finders/find-menu';
import type { Overlay } from '../overlays';
import { ActionBar, type ViewMode } from './action-bar';

interface DatasetHeaderProps {
  dataset: DatasetSummary;
  actions: { view: ViewMode; onView: (v: ViewMode) => void; undo: UndoState; onUndo: () => void; onRedo: () => void; onHelp: () => void };
  onOverlay: (overlay: Overlay) => void;
  onOpenRun: (runId: number) => void;
}

export function DatasetHeader({ dataset, actions, onOverlay, onOpenRun }: DatasetHeaderProps) {
  return (
    <header className="dataset-header">
      <div className="dataset-title">
        <h1 data-testid="dataset-title">{dataset.name}</h1>
        <span className="muted">
          {dataset.sampleCount.toLocaleString()} samples · {dataset.activeCount.toLocaleString()} active · {dataset.droppedCount.toLocaleString()} dropped
        </span>
      </div>
      <div className="toolbar-group">
        <FindMenu datasetId={dataset.id} onStart={(finder) => onOverlay({ kind: 'finder', datasetId: dataset.id, finder })} onOpenRun={onOpenRun} />
        <button type="button" data-testid="history-open" onClick={() => onOverlay({ kind: 'history', datasetId: dataset.id })}>
          History
        </button>
      </div>
      <ActionBar
        {...actions}
        onSplit={() => onOverlay({ kind: 'split', datasetId: dataset.id })}
        onSnapshot={() => onOverlay({ kind: 'snapshot', datasetId: dataset.id })}
      />
    </header>
  );
}
