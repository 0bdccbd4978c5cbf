/** What the New eval page says when it cannot start yet: no snapshot of the dataset, or no registered model. */
interface NewEvalEmptyProps {
  noVersions: boolean;
  noModels: boolean;
  onGoData: () => void;
  onGoModels: () => void;
  onCancel: () => void;
}

export function NewEvalEmpty({ noVersions, noModels, onGoData, onGoModels, onCancel }: NewEvalEmptyProps) {
  return (
    <div className="empty-state" data-testid="new-eval-empty">
      <h2>Not ready to evaluate yet</h2>
      {noVersions ? (
        <p data-testid="new-eval-no-versions">
          <strong>Snapshot the dataset first.</strong> Evals run on a frozen version so results stay comparable: split the data, then take a
          Snapshot in the Data view.
        </p>
      ) : null}
      {noModels ? (
        <p data-testid="new-eval-no-models">
          <strong>No models registered.</strong> Add a local model folder or download one in the Models view.
        </p>
      ) : null}
      <div className="row-actions">
        {noVersions ? (
          <button type="button" className="primary" onClick={onGoData}>
            Go to Data
          </button>
        ) : null}
        {noModels ? (
          <button type="button" className={noVersions ? '' : 'primary'} onClick={onGoModels}>
            Go to Models
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          Back to runs
        </button>
      </div>
    </div>
  );
}
