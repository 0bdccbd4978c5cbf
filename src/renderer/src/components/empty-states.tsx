/** Empty states that say what to do next instead of showing a blank pane. */
interface WelcomeProps {
  loaded: boolean;
  importing: boolean;
  onImport: () => void;
}

export function WelcomeEmpty({ loaded, importing, onImport }: WelcomeProps) {
  if (!loaded) return <div className="empty-state muted">Loading workspace…</div>;
  if (importing) {
    return (
      <div className="empty-state" data-testid="welcome-importing">
        <h2>Importing…</h2>
        <p>The dataset opens here as soon as the import below finishes. You can cancel it from the jobs bar.</p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="welcome-empty">
      <h2>No datasets yet</h2>
      <p>Import a folder of labelled images — one sub-folder per class (cats/, dogs/) — or a CSV/JSONL manifest.</p>
      <button type="button" className="primary" onClick={onImport} data-testid="import-open-empty">
        Import a folder…
      </button>
    </div>
  );
}

interface ViewEmptyProps {
  datasetEmpty: boolean;
  onClear: () => void;
  onImport: () => void;
}

export function ViewEmpty({ datasetEmpty, onClear, onImport }: ViewEmptyProps) {
  if (datasetEmpty) {
    return (
      <div className="empty-state" data-testid="view-empty">
        <h2>This dataset has no images</h2>
        <p>Import a folder into it (use the same dataset name).</p>
        <button type="button" className="primary" onClick={onImport}>
          Import…
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="view-empty">
      <h2>No samples match these filters</h2>
      <p>Try another label, split or status, or clear the search.</p>
      <button type="button" onClick={onClear} data-testid="filter-clear">
        Clear filters
      </button>
    </div>
  );
}
