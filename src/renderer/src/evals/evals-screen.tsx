/** Evals view for the current dataset: the runs list, New eval, one run's dashboard, or a comparison (by sub-route). */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { assertNever } from '../../../shared/assert-never';
import type { EvalDevice, EvalRun } from '../../../shared/eval-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { CompareView } from './compare-view';
import { ExportRunDialog } from './export-run-dialog';
import { NewEvalForm } from './new-eval-form';
import { RunDashboard } from './run-dashboard';
import { RobustnessView } from './robustness-view';
import { RunsList } from './runs-list';
import { MatrixScreen } from './matrix-screen';
import { PromptsScreen } from '../prompts/prompts-screen';
import { useEvalRuns } from './use-eval-runs';
import type { EvalRoute } from './use-sections';

export interface EvalsScreenProps {
  datasetId: number | null;
  datasetName: string | null;
  route: EvalRoute;
  onRoute: (route: EvalRoute) => void;
  onJobStarted: (jobId: string) => void;
  /** Opens a dataset sample in the Data view (to relabel or drop it). */
  onOpenSample: (sample: { sampleId: number; originalPath: string }) => void;
  onGoData: () => void;
  onGoModels: () => void;
}

export function EvalsScreen(props: EvalsScreenProps) {
  const { datasetId, onRoute } = props;
  const { api, reportError, showToast } = useStudio();
  const client = useQueryClient();
  const runs = useEvalRuns(datasetId);
  const [exporting, setExporting] = useState<EvalRun | null>(null);
  // A run, comparison or form of another dataset than the selected one is never shown: its list is.
  const route: EvalRoute = props.route.kind !== 'list' && props.route.datasetId !== datasetId ? { kind: 'list' } : props.route;

  if (datasetId === null) {
    return (
      <div className="page">
        <div className="empty-state" data-testid="evals-no-dataset">
          <h2>No dataset selected</h2>
          <p>Evals run on a snapshot of a dataset. Import a dataset in the Data view, split it and take a snapshot first.</p>
          <button type="button" className="primary" onClick={props.onGoData}>
            Go to Data
          </button>
        </div>
      </div>
    );
  }

  const resume = async (run: EvalRun, device?: EvalDevice) => {
    try {
      const { jobId } = await api.evals.resume({ runId: run.id, device });
      props.onJobStarted(jobId);
      showToast(device ? `Resuming ${run.name} on ${device}` : `Resuming ${run.name}`);
    } catch (error) {
      reportError('Resuming the run', error);
    }
  };
  const remove = async (run: EvalRun) => {
    try {
      await api.evals.remove({ runId: run.id });
      showToast(`Deleted run ${run.name}`);
    } catch (error) {
      reportError('Deleting the run', error);
    }
    await client.invalidateQueries({ queryKey: queryKeys.evals });
  };

  const body = () => {
    switch (route.kind) {
      case 'list':
        return (
          <>
            <header className="page-header">
              <div>
                <h1>Evals</h1>
                <span className="muted">How well each model and prompt classifies a frozen version of {props.datasetName}.</span>
              </div>
              <div className="page-header-actions">
                <button type="button" data-testid="prompts-open" onClick={() => onRoute({ kind: 'prompts', datasetId })}>
                  Prompts…
                </button>
                <button type="button" data-testid="robustness-open" onClick={() => onRoute({ kind: 'robustness', datasetId })}>
                  Robustness…
                </button>
                <button type="button" data-testid="matrix-open" onClick={() => onRoute({ kind: 'matrix', datasetId, batchId: null })}>
                  Matrix…
                </button>
                <button type="button" className="primary" data-testid="eval-new-open" onClick={() => onRoute({ kind: 'new', datasetId })}>
                  New eval…
                </button>
              </div>
            </header>
            <div className="page-body">
              {runs.loaded && runs.runs.length === 0 ? (
                <div className="empty-state" data-testid="runs-empty">
                  <h2>No eval runs yet</h2>
                  <p>Pick a snapshot, a model and a prompt, and see accuracy, the confusion matrix and the misclassified images.</p>
                  <button type="button" className="primary" onClick={() => onRoute({ kind: 'new', datasetId })}>
                    New eval…
                  </button>
                </div>
              ) : (
                <RunsList
                  runs={runs.runs}
                  evalJobLive={runs.evalJobLive}
                  onOpen={(run) => onRoute({ kind: 'run', runId: run.id, datasetId })}
                  onCompare={(a, b) => onRoute({ kind: 'compare', aId: a.id, bId: b.id, datasetId })}
                  onResume={(run, device) => void resume(run, device)}
                  onExport={setExporting}
                  onDelete={(run) => void remove(run)}
                  onOpenMatrix={(batchId) => onRoute({ kind: 'matrix', datasetId, batchId })}
                />
              )}
            </div>
          </>
        );
      case 'new':
        return (
          <>
            <header className="page-header">
              <div>
                <h1>{route.fromRunId === undefined ? 'New eval' : 'Rerun with changes'}</h1>
                <span className="muted">
                  on {props.datasetName ?? 'this dataset'}
                  {route.fromRunId === undefined ? '' : ` — prefilled from run ${runs.runs.find((r) => r.id === route.fromRunId)?.name ?? route.fromRunId}; change one thing and start`}
                </span>
              </div>
            </header>
            <div className="page-body">
              <NewEvalForm
                key={route.fromRunId ?? 'new'}
                datasetId={datasetId}
                fromRunId={route.fromRunId}
                onCancel={() => onRoute({ kind: 'list' })}
                onGoData={props.onGoData}
                onGoModels={props.onGoModels}
                onStarted={(run, jobId) => {
                  props.onJobStarted(jobId);
                  onRoute({ kind: 'run', runId: run.id, datasetId });
                }}
              />
            </div>
          </>
        );
      case 'run':
        return (
          <div className="page-body">
            <RunDashboard
              runId={route.runId}
              evalJobLive={runs.evalJobLive}
              onBack={() => onRoute({ kind: 'list' })}
              onResume={(run, device) => void resume(run, device)}
              onExport={setExporting}
              onOpenSample={props.onOpenSample}
              onCompare={(aId, bId) => onRoute({ kind: 'compare', aId, bId, datasetId })}
              onJobStarted={props.onJobStarted}
              onRerun={(run) => onRoute({ kind: 'new', datasetId, fromRunId: run.id })}
              onOpenMatrix={(batchId) => onRoute({ kind: 'matrix', datasetId, batchId })}
            />
          </div>
        );
      case 'compare':
        return (
          <div className="page-body">
            <CompareView
              aId={route.aId}
              bId={route.bId}
              onBack={() => onRoute({ kind: 'list' })}
              onOpenRun={(runId) => onRoute({ kind: 'run', runId, datasetId })}
              onOpenSample={props.onOpenSample}
            />
          </div>
        );
      case 'robustness':
        return (
          <RobustnessView
            datasetId={datasetId}
            onBack={() => onRoute({ kind: 'list' })}
            onJobStarted={props.onJobStarted}
            onOpenRun={(runId) => onRoute({ kind: 'run', runId, datasetId })}
          />
        );
      case 'matrix':
        return (
          <MatrixScreen
            datasetId={datasetId}
            datasetName={props.datasetName}
            batchId={route.batchId}
            onOpenBatch={(batchId) => onRoute({ kind: 'matrix', datasetId, batchId })}
            onBack={() => onRoute({ kind: 'list' })}
            onOpenRun={(runId) => onRoute({ kind: 'run', runId, datasetId })}
            onCompare={(aId, bId) => onRoute({ kind: 'compare', aId, bId, datasetId })}
          />
        );
      case 'prompts':
        return <PromptsScreen datasetId={datasetId} datasetName={props.datasetName} onBack={() => onRoute({ kind: 'list' })} />;
      default:
        return assertNever(route, 'eval route');
    }
  };

  return (
    <div className="page" data-testid="evals-screen" data-dataset-id={datasetId}>
      <div className="page-context">
        Dataset <strong className="dataset-chip" data-testid="evals-dataset">{props.datasetName}</strong>
        <span className="muted small">— the one selected in the sidebar; runs, new evals and comparisons are for it.</span>
      </div>
      {body()}
      {exporting ? <ExportRunDialog run={exporting} onClose={() => setExporting(null)} /> : null}
    </div>
  );
}
