/** Confusion-matrix heat-map: rows = truth, columns = predicted + off-label; counts with row-normalised shading; cells filter the samples. */
import type { ConfusionMatrix } from '../../../shared/metrics-types';
import { pct } from './eval-format';

interface ConfusionMatrixProps {
  matrix: ConfusionMatrix;
  /** Highlighted cell (the samples filter); prediction '' = off-label. */
  active?: { truth: string; prediction: string } | null;
  /** Omit to render a read-only matrix (compare view). */
  onCell?: (truth: string, prediction: string) => void;
  testId?: string;
  /** Open label sets: the run's abstain candidate, marked in its column header. */
  abstainLabel?: string | null;
}

function shade(fraction: number, diagonal: boolean): string {
  if (fraction <= 0) return 'transparent';
  const alpha = 0.12 + 0.78 * fraction;
  return diagonal ? `rgba(26, 132, 84, ${alpha.toFixed(3)})` : `rgba(198, 47, 59, ${alpha.toFixed(3)})`;
}

export function ConfusionMatrixView({ matrix, active, onCell, testId = 'confusion-matrix', abstainLabel = null }: ConfusionMatrixProps) {
  const offIndex = matrix.columns.length - 1;
  // Columns between the truth classes and off-label: predicted candidates outside the truth classes (always wrong).
  const isExtra = (j: number) => j >= matrix.rows.length && j < offIndex;
  return (
    <div className="matrix-wrap">
      <table className="matrix" data-testid={testId}>
        <thead>
          <tr>
            <th className="matrix-corner">
              <span className="muted small">
                predicted →
                <br />
                truth ↓
              </span>
            </th>
            {matrix.columns.map((c, j) => (
              <th
                key={`${c}-${j}`}
                className={j === offIndex ? 'off-label-col' : isExtra(j) ? 'extra-col' : ''}
                scope="col"
                data-testid={isExtra(j) ? 'matrix-extra-col' : undefined}
                title={isExtra(j) ? (c === abstainLabel ? 'Abstain: the model declined' : 'A candidate outside the truth classes (always wrong)') : undefined}
              >
                {j === offIndex ? <em>{c}</em> : c === abstainLabel && isExtra(j) ? <em>{c} (abstain)</em> : c}
              </th>
            ))}
            <th className="muted" scope="col">
              total
            </th>
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((truth, i) => {
            const counts = matrix.counts[i] ?? [];
            const rowTotal = counts.reduce((a, b) => a + b, 0);
            return (
              <tr key={truth}>
                <th scope="row">{truth}</th>
                {counts.map((count, j) => {
                  const prediction = j === offIndex ? '' : matrix.columns[j];
                  const fraction = rowTotal > 0 ? count / rowTotal : 0;
                  const diagonal = j !== offIndex && matrix.columns[j] === truth;
                  const isActive = active?.truth === truth && active.prediction === prediction;
                  const strong = fraction > 0.55;
                  const label = `${truth} predicted as ${prediction || 'off-label'}: ${count} (${pct(fraction)} of the row)`;
                  return (
                    <td key={j} className="matrix-cell-td">
                      <button
                        type="button"
                        className={`matrix-cell${isActive ? ' active' : ''}${strong ? ' strong' : ''}${count === 0 ? ' zero' : ''}`}
                        style={{ background: shade(fraction, diagonal) }}
                        title={label}
                        aria-label={label}
                        disabled={!onCell || count === 0}
                        data-testid="matrix-cell"
                        data-truth={truth}
                        data-prediction={prediction}
                        data-count={count}
                        onClick={() => onCell?.(truth, prediction)}
                      >
                        <span className="matrix-count">{count}</span>
                        {rowTotal > 0 && count > 0 ? <span className="matrix-frac">{pct(fraction, 0)}</span> : null}
                      </button>
                    </td>
                  );
                })}
                <td className="num muted">{rowTotal}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
