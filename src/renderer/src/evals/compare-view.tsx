/** Two runs side by side: metric cards with deltas, both confusion matrices, the agreement table and the disagreements. */
import { useEffect, useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import type { EvalComparison, EvalComparisonRow } from '../../../shared/eval-views';
import { useStudio } from '../state/studio-context';
import { AgreementTable } from './agreement-table';
import { ConfusionMatrixView } from './confusion-matrix';
import { DisagreementList } from './disagreement-list';
import { modeLabel } from './eval-format';
import { MetricCards } from './metric-cards';

interface CompareViewProps {
  aId: number;
  bId: number;
  onBack: () => void;
  onOpenRun: (runId: number) => void;
  onOpenSample: (row: EvalComparisonRow) => void;
}

export function CompareView({ aId, bId, onBack, onOpenRun, onOpenSample }: CompareViewProps) {
  const { api, reportError } = useStudio();
  const [data, setData] = useState<{ a: EvalRun; b: EvalRun; cmp: EvalComparison } | null>(null);

  useEffect(() => {
    let alive = true;
    Promise.all([api.evals.get({ runId: aId }), api.evals.get({ runId: bId }), api.evals.compare({ aId, bId })])
      .then(([a, b, cmp]) => alive && setData({ a, b, cmp }))
      .catch((error: unknown) => reportError('Comparing the runs', error));
    return () => {
      alive = false;
    };
  }, [api, aId, bId, reportError]);

  if (!data) return <div className="empty-state muted">Comparing…</div>;
  const { a, b, cmp } = data;
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
      </header>
      {run.metrics ? (
        <>
          <MetricCards metrics={run.metrics} against={tag === 'B' ? a.metrics : null} testId={`compare-cards-${tag.toLowerCase()}`} />
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
        {side(a, 'A')}
        {side(b, 'B')}
      </div>
      <section className="panel-card">
        <h3>Agreement</h3>
        <AgreementTable cmp={cmp} aName={a.name} bName={b.name} />
      </section>
      <section className="panel-card">
        <h3>Disagreements ({cmp.disagreements.length})</h3>
        <DisagreementList rows={cmp.disagreements} onOpenSample={onOpenSample} />
      </section>
    </div>
  );
}
