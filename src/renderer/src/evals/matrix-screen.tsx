/** The Matrix entry of the Evals view: earlier matrices and the New matrix form, or one matrix live (by sub-route). */
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../data/query-keys';
import { formatDate, plural } from '../lib/format';
import { useStudio } from '../state/studio-context';
import { MatrixForm } from './matrix-form';
import { MatrixView } from './matrix-view';
import { useEvalBatch, useEvalBatches } from './use-eval-batches';
import '../styles/eval-matrix.css';

interface MatrixScreenProps {
  datasetId: number;
  datasetName: string | null;
  batchId: number | null;
  onOpenBatch: (batchId: number | null) => void;
  onBack: () => void;
  onOpenRun: (runId: number) => void;
  onCompare: (aId: number, bId: number) => void;
}

function OneMatrix(props: MatrixScreenProps & { batchId: number }) {
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const batch = useEvalBatch(props.batchId);
  if (!batch) return <p className="muted">Loading the matrix…</p>;
  const act = async (what: 'cancel' | 'resume') => {
    try {
      if (what === 'cancel') {
        const { cancelled } = await api.batches.cancel({ batchId: batch.id });
        showToast(`Cancelling ${plural(cancelled, 'cell')} of ${batch.name}`);
      } else {
        // The matrix itself shows each cell's progress and failure, so its jobs get no per-job notices.
        const { jobIds } = await api.batches.resume({ batchId: batch.id });
        showToast(`Resuming ${plural(jobIds.length, 'cell')} of ${batch.name}`);
      }
    } catch (error) {
      reportError(what === 'cancel' ? 'Cancelling the matrix' : 'Resuming the matrix', error);
    }
    await client.invalidateQueries({ queryKey: queryKeys.evals });
  };
  return <MatrixView batch={batch} onOpenRun={props.onOpenRun} onCompare={props.onCompare} onCancel={() => void act('cancel')} onResume={() => void act('resume')} />;
}

export function MatrixScreen(props: MatrixScreenProps) {
  const { batches } = useEvalBatches(props.datasetId);
  const { batchId } = props;
  return (
    <>
      <header className="page-header">
        <div>
          <h1>{batchId === null ? 'Prompt × model matrix' : 'Matrix'}</h1>
          <span className="muted">
            Several prompts × models × modes on the same samples of {props.datasetName ?? 'this dataset'}, side by side.
          </span>
        </div>
        <div className="page-header-actions">
          {batchId !== null ? (
            <button type="button" data-testid="matrix-new" onClick={() => props.onOpenBatch(null)}>
              New matrix…
            </button>
          ) : null}
          <button type="button" data-testid="matrix-back" onClick={props.onBack}>
            All runs
          </button>
        </div>
      </header>
      <div className="page-body">
        {batchId !== null ? (
          <OneMatrix {...props} batchId={batchId} />
        ) : (
          <div className="pm-start">
            <MatrixForm
              datasetId={props.datasetId}
              onStarted={(batch) => props.onOpenBatch(batch.id)}
            />
            {batches.length > 0 ? (
              <section className="panel-card" data-testid="matrix-list">
                <h3>Earlier matrices</h3>
                <ul className="pm-batches">
                  {batches.map((b) => (
                    <li key={b.id}>
                      <button type="button" className="link" data-testid="matrix-list-open" onClick={() => props.onOpenBatch(b.id)}>
                        {b.name}
                      </button>
                      <span className="muted small">
                        {' '}
                        {plural(b.cells.length, 'cell')} · {b.status} · {formatDate(b.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        )}
      </div>
    </>
  );
}
