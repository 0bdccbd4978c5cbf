/** One run's dashboard: header, metric cards, confusion matrix (filters the samples), per-class table, reliability, samples. */
import { useRef, useState } from 'react';
import type { EvalDevice, EvalRun } from '../../../shared/eval-types';
import type { EvalSampleView } from '../../../shared/eval-views';
import { CascadeSection } from './cascade-section';
import { ConfusionMatrixView } from './confusion-matrix';
import { EvalSamples } from './eval-samples';
import { isRunLive, runProgress } from './eval-format';
import { MetricCards } from './metric-cards';
import { OpenLabelsNote } from './open-labels-note';
import { OodSummaryCard } from '../class-mappings/ood-summary-card';
import { PartialTag } from './partial-tag';
import { PerClassTable } from './per-class-table';
import { ReliabilityDiagram } from './reliability-diagram';
import { ResultsGrid } from './results-grid';
import { RunHeader } from './run-header';
import { ALL_SAMPLES, type EvalSampleFilter } from './use-eval-samples';
import { useEvalRun } from './use-eval-run';

interface RunDashboardProps {
  runId: number;
  evalJobLive: boolean;
  onBack: () => void;
  onResume: (run: EvalRun, device?: EvalDevice) => void;
  onExport: (run: EvalRun) => void;
  onOpenSample: (row: EvalSampleView) => void;
  /** Cascade runs: open the pairwise comparison with the stage-2-alone run, and report a sibling run's job. */
  onCompare?: (aId: number, bId: number) => void;
  onJobStarted?: (jobId: string) => void;
  /** Opens the New eval form prefilled with this run's configuration. */
  onRerun?: (run: EvalRun) => void;
  /** A matrix cell's run links back to its matrix. */
  onOpenMatrix?: (batchId: number) => void;
}

export function RunDashboard({ runId, evalJobLive, onBack, onResume, onExport, onOpenSample, onCompare, onJobStarted, onRerun, onOpenMatrix }: RunDashboardProps) {
  const run = useEvalRun(runId);
  const [filter, setFilter] = useState<EvalSampleFilter>(ALL_SAMPLES);
  const [gridFilter, setGridFilter] = useState<EvalSampleFilter>(ALL_SAMPLES);
  const gridRef = useRef<HTMLElement>(null);
  if (!run) return <div className="empty-state muted">Loading run…</div>;
  const m = run.metrics;
  // A 'running' run with no eval job alive was interrupted (the app closed or crashed): it is stopped, not going.
  const going = isRunLive(run) && evalJobLive;
  const onCell = (truth: string, prediction: string) => {
    const same = filter.cell?.truth === truth && filter.cell.prediction === prediction;
    setFilter({ ...filter, outcome: 'all', cell: same ? null : { truth, prediction } });
    // The results grid follows the matrix too, and comes into view (the list below keeps its own copy of the filter).
    setGridFilter({ ...gridFilter, outcome: 'all', cell: same ? null : { truth, prediction } });
    if (!same) requestAnimationFrame(() => gridRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  };

  return (
    <div className="dashboard" data-testid="run-dashboard" data-run-id={run.id} data-status={run.status}>
      <RunHeader run={run} evalJobLive={evalJobLive} onBack={onBack} onResume={onResume} onExport={onExport} onRerun={onRerun} onOpenMatrix={onOpenMatrix} />
      {going ? (
        <div className="panel-card run-live" data-testid="run-live">
          <progress max={Math.max(1, run.plannedCount)} value={run.doneCount} />
          <span>
            {runProgress(run)} samples done — metrics below cover the finished samples so far and are complete when the run finishes. Cancel from the jobs bar.
          </span>
        </div>
      ) : null}
      {m ? (
        <>
          {m.partial ? (
            <div className="panel-card partial-note" data-testid="partial-note">
              <PartialTag metrics={m} />
              <span>
                {going
                  ? 'The run is still going: these numbers cover only the samples finished so far.'
                  : `The run ${run.status === 'failed' ? 'failed' : isRunLive(run) ? 'was interrupted' : 'stopped'} before the end: these numbers cover only the finished samples. Resume it to complete them.`}
              </span>
            </div>
          ) : null}
          <MetricCards metrics={m} />
          <OodSummaryCard run={run} />
          {run.cascade ? <CascadeSection run={run} onCompare={onCompare} onJobStarted={onJobStarted} /> : null}
          <div className="dashboard-grid">
            <section className="panel-card">
              <h3>Confusion matrix</h3>
              <p className="muted small">Rows are the true labels, columns the predictions. Click a cell to show those samples in the grid and the list below.</p>
              <OpenLabelsNote run={run} metrics={m} />
              <ConfusionMatrixView matrix={m.confusion} active={filter.cell} onCell={onCell} abstainLabel={run.abstainLabel} />
            </section>
            <div className="dashboard-col">
              <section className="panel-card">
                <h3>Per class</h3>
                <div className="table-scroll">
                  <PerClassTable metrics={m} />
                </div>
              </section>
              {m.calibration ? (
                <section className="panel-card">
                  <h3>Calibration</h3>
                  {run.mode === 'classifier' && run.classMapping !== null ? (
                    <p className="muted small" data-testid="calibration-renormalised">Computed on the probabilities renormalised over the mapped classes (OOD mass excluded).</p>
                  ) : null}
                  <ReliabilityDiagram calibration={m.calibration} />
                </section>
              ) : null}
            </div>
          </div>
        </>
      ) : !going ? (
        <p className="panel-card muted" data-testid="run-no-metrics">
          No metrics: the run {run.status === 'failed' ? 'failed' : 'stopped'} before any sample finished. Resume it to continue.
        </p>
      ) : null}
      <ResultsGrid ref={gridRef} run={run} filter={gridFilter} onFilter={setGridFilter} onOpenSample={onOpenSample} />
      <EvalSamples runId={run.id} versionId={run.versionId} labels={run.labels} filter={filter} onFilter={setFilter} onOpenSample={onOpenSample} />
    </div>
  );
}
