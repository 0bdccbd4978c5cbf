/** Two runs side by side: aligned metric cards with deltas, both confusion matrices, the config diff, the agreement table with its CI, the flips as grids and the disagreements. */
import { useQuery } from '@tanstack/react-query';
import type { EvalRun } from '../../../shared/eval-types';
import type { EvalComparisonRow } from '../../../shared/eval-views';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { AgreementTable } from './agreement-table';
import { ConfusionMatrixView } from './confusion-matrix';
import { DisagreementList } from './disagreement-list';
import { modeLabel } from './eval-format';
import { cardSlots, MetricCards } from './metric-cards';
import { ConfigDiff } from './config-diff';
import { FlipsGrids } from './flips-grids';
import { PartialTag } from './partial-tag';

interface CompareViewProps {
  aId: number;
  bId: number;
  onBack: () => void;
  onOpenRun: (runId: number) => void;
  onOpenSample: (row: EvalComparisonRow) => void;
}

export function CompareView({ aId, bId, onBack, onOpenRun, onOpenSample }: CompareViewProps) {
  const { api } = useStudio();
  const a = useQuery({ queryKey: queryKeys.evalRun(aId), queryFn: () => api.evals.get({ runId: aId }), meta: { errorContext: 'Loading run A' } });
  const b = useQuery({ queryKey: queryKeys.evalRun(bId), queryFn: () => api.evals.get({ runId: bId }), meta: { errorContext: 'Loading run B' } });
  const cmp = useQuery({
    queryKey: queryKeys.evalCompare(aId, bId),
    queryFn: () => api.evals.compare({ aId, bId }),
    meta: { errorContext: 'Comparing the runs' },
  });
  const data = a.data && b.data && cmp.data ? { a: a.data, b: b.data, cmp: cmp.data } : null;

  if (!data) return <div className="empty-state muted">Comparing…</div>;
  const runA = data.a;
  const runB = data.b;
  const comparison = data.cmp;
  const slots = cardSlots(runA.metrics, runB.metrics);
  const side = (run: EvalRun, tag: 'A' | 'B') => (
    <section className="panel-card compare-side" data-testid={`compare-side-${tag.toLowerCase()}`}>
      <header className="compare-side-head">
        <span className={`run-tag tag-${tag.toLowerCase()}`}>{tag}</span>
        <button type="button" className="link" onClick={() => onOpenRun(run.id)}>
          {run.name}
        </button>
        <span className="muted small">
          {run.config.modelName} · {modeLabel(run.mode)} · {run.config.versionName}/{run.split}
        </span>
        <PartialTag metrics={run.metrics} />
      </header>
      {run.metrics ? (
        <>
          <MetricCards metrics={run.metrics} against={tag === 'B' ? runA.metrics : null} testId={`compare-cards-${tag.toLowerCase()}`} slots={slots} />
          <ConfusionMatrixView matrix={run.metrics.confusion} testId={`compare-matrix-${tag.toLowerCase()}`} />
        </>
      ) : (
        <p className="muted">This run has no metrics yet.</p>
      )}
    </section>
  );

  return (
    <div className="dashboard" data-testid="compare-view">
      <header className="page-header compact">
        <button type="button" className="link small" onClick={onBack}>
          ← All runs
        </button>
        <h1>Compare runs</h1>
      </header>
      <div className="compare-sides">
        {side(runA, 'A')}
        {side(runB, 'B')}
      </div>
      <ConfigDiff a={runA} b={runB} />
      <section className="panel-card">
        <h3>Agreement</h3>
        <AgreementTable cmp={comparison} aName={runA.name} bName={runB.name} />
      </section>
      <FlipsGrids rows={comparison.disagreements} versionId={runA.versionId} onOpenSample={onOpenSample} />
      <section className="panel-card">
        <h3>Disagreements ({comparison.disagreements.length})</h3>
        <DisagreementList rows={comparison.disagreements} onOpenSample={onOpenSample} />
      </section>
    </div>
  );
}
