/** One eval sample in the browser: thumbnail, truth → prediction, confidence, latency, raw answer, top probabilities, error. */
import type { EvalSampleView } from '../../../shared/eval-views';
import { mediaUrl } from '../api';
import { tailPath } from '../lib/format';
import { Stage1Line } from './cascade-stage1-line';
import { ms, pct } from './eval-format';
import { OOD_HIGH_THRESHOLD } from '../../../shared/class-mapping-types';

interface EvalSampleRowProps {
  row: EvalSampleView | undefined;
  /** The run's version (its frozen image of the sample is shown). */
  versionId: number;
  labels: string[];
  style: React.CSSProperties;
  onOpen: (row: EvalSampleView) => void;
}

function topProbabilities(row: EvalSampleView, labels: string[], k = 3): { label: string; p: number }[] {
  if (!row.probabilities) return [];
  return row.probabilities
    .map((p, i) => ({ label: labels[i] ?? `#${i}`, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}

export function EvalSampleRow({ row, versionId, labels, style, onOpen }: EvalSampleRowProps) {
  if (!row) return <div className="eval-sample loading" style={style} />;
  const top = topProbabilities(row, labels);
  const prediction = row.outcome === 'pending' ? 'not run yet' : row.outcome === 'error' ? 'error' : (row.prediction ?? 'off-label');
  return (
    <div
      className={`eval-sample outcome-${row.outcome}`}
      style={style}
      data-testid="eval-sample"
      data-sample-id={row.sampleId}
      data-outcome={row.outcome}
      data-truth={row.truth}
      data-prediction={row.prediction ?? ''}
      role="button"
      tabIndex={0}
      title={row.datasetSampleExists ? `${row.originalPath}\nClick to open it in the Data view (relabel or drop)` : `${row.originalPath}\nNo longer in the dataset`}
      onClick={() => onOpen(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(row);
        }
      }}
    >
      <div className="eval-thumb">
        {row.datasetSampleExists ? (
          <img src={mediaUrl('thumb', row.sampleId, versionId)} alt={tailPath(row.originalPath)} loading="lazy" decoding="async" draggable={false} />
        ) : (
          <span className="muted small">removed</span>
        )}
      </div>
      <div className="eval-sample-main">
        <div className="eval-sample-labels">
          <span className="truth">{row.truth}</span>
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <span className={`prediction outcome-${row.outcome}`}>{prediction}</span>
          {row.confidence !== null ? <span className="confidence">{pct(row.confidence)}</span> : null}
          {row.latencyMs !== null ? <span className="latency muted">{ms(row.latencyMs)}</span> : null}
          {row.oodMass != null ? (
            <span
              className={`ood-tag${row.oodMass > OOD_HIGH_THRESHOLD ? '' : ' low'}`}
              data-testid="eval-ood"
              data-ood={row.oodMass}
              title={`${pct(row.oodMass)} of the model's probability fell outside every mapped class; its own top class: ${row.modelTop1 ?? '—'}`}
            >
              OOD {pct(row.oodMass, 0)}
              {row.modelTop1 ? ` · ${row.modelTop1}` : ''}
            </span>
          ) : null}
        </div>
        <div className="eval-sample-path mono">{tailPath(row.originalPath)}</div>
        {row.error ? <div className="eval-sample-error">{row.error}</div> : null}
        {row.stage1 ? <Stage1Line stage1={row.stage1} truth={row.truth} /> : null}
        {row.rawOutput !== null && !row.error && !row.stage1 ? (
          <div className="eval-sample-raw" title={row.rawOutput}>
            <span className="muted">answered </span>
            <code data-testid="eval-raw-output">{row.rawOutput === '' ? '(empty)' : row.rawOutput}</code>
          </div>
        ) : null}
      </div>
      {top.length > 0 ? (
        <div className="eval-probs" aria-label="Top probabilities">
          {top.map((t) => (
            <div key={t.label} className="eval-prob">
              <span className="eval-prob-label">{t.label}</span>
              <span className="eval-prob-track">
                <span className="eval-prob-fill" style={{ width: `${Math.max(1, t.p * 100)}%` }} />
              </span>
              <span className="eval-prob-value">{pct(t.p)}</span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
