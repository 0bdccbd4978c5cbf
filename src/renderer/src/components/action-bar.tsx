/** Dataset actions in the header: Table/Grid toggle, Split…, Snapshot…, Undo/Redo showing what they would do. */
import type { UndoState } from '../../../shared/domain';

export type ViewMode = 'table' | 'grid';

interface ActionBarProps {
  view: ViewMode;
  onView: (view: ViewMode) => void;
  undo: UndoState;
  onUndo: () => void;
  onRedo: () => void;
  onSplit: () => void;
  onSnapshot: () => void;
  onHelp: () => void;
}

export function ActionBar(props: ActionBarProps) {
  const { undo } = props;
  return (
    <div className="toolbar-group action-bar">
      <div className="segmented" role="group" aria-label="View">
        <button type="button" className={props.view === 'table' ? 'on' : ''} data-testid="view-table" onClick={() => props.onView('table')}>
          Table
        </button>
        <button type="button" className={props.view === 'grid' ? 'on' : ''} data-testid="view-grid" onClick={() => props.onView('grid')}>
          Grid
        </button>
      </div>
      <button type="button" data-testid="split-open" onClick={props.onSplit}>
        Split…
      </button>
      <button type="button" data-testid="snapshot-open" onClick={props.onSnapshot}>
        Snapshot…
      </button>
      <button
        type="button"
        data-testid="undo-button"
        disabled={!undo.canUndo}
        title={undo.undoSummary ? `Undo: ${undo.undoSummary} (Z)` : 'Nothing to undo'}
        onClick={props.onUndo}
      >
        ↶ Undo{undo.undoSummary ? <span className="undo-summary">{undo.undoSummary}</span> : null}
      </button>
      <button
        type="button"
        data-testid="redo-button"
        disabled={!undo.canRedo}
        title={undo.redoSummary ? `Redo: ${undo.redoSummary} (Shift+Z)` : 'Nothing to redo'}
        onClick={props.onRedo}
      >
        ↷ Redo
      </button>
      <button type="button" className="icon-button help-button" title="Keyboard shortcuts (?)" data-testid="help-open" onClick={props.onHelp}>
        ?
      </button>
    </div>
  );
}
