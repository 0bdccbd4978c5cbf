/** Reliability diagram in plain SVG: per-bin accuracy vs mean confidence against the diagonal, with a count histogram below. */
import type { CalibrationMetrics } from '../../../shared/metrics-types';
import { fixed, pct } from './eval-format';

const W = 340;
const PLOT = 220;
const HIST = 48;
const L = 38;
const T = 10;
const GAP = 14;
const H = T + PLOT + GAP + HIST + 26;

export function ReliabilityDiagram({ calibration }: { calibration: CalibrationMetrics }) {
  const x = (v: number) => L + v * (W - L - 10);
  const y = (v: number) => T + (1 - v) * PLOT;
  const maxCount = Math.max(1, ...calibration.bins.map((b) => b.count));
  const histTop = T + PLOT + GAP;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure className="reliability" data-testid="reliability-diagram">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`Reliability diagram, ECE ${fixed(calibration.ece)}`}>
        <rect x={x(0)} y={y(1)} width={x(1) - x(0)} height={PLOT} className="rd-frame" />
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(0)} x2={x(1)} y1={y(t)} y2={y(t)} className="rd-grid" />
            <text x={L - 5} y={y(t) + 3} className="rd-tick" textAnchor="end">
              {t}
            </text>
            <text x={x(t)} y={histTop + HIST + 12} className="rd-tick" textAnchor="middle">
              {t}
            </text>
          </g>
        ))}
        {calibration.bins.map((b) =>
          b.count > 0 && b.accuracy !== null ? (
            <g key={b.lower} data-testid="reliability-bin">
              <rect x={x(b.lower) + 1} y={y(b.accuracy)} width={Math.max(1, x(b.upper) - x(b.lower) - 2)} height={y(0) - y(b.accuracy)} className="rd-bar">
                <title>
                  {`confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}: ${b.count} samples, accuracy ${pct(b.accuracy)}, mean confidence ${pct(b.meanConfidence)}`}
                </title>
              </rect>
              {b.meanConfidence !== null ? <circle cx={x(b.meanConfidence)} cy={y(b.accuracy)} r={3} className="rd-dot" /> : null}
            </g>
          ) : null,
        )}
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} className="rd-diagonal" />
        {calibration.bins.map((b) =>
          b.count > 0 ? (
            <rect
              key={`h${b.lower}`}
              x={x(b.lower) + 1}
              y={histTop + HIST * (1 - b.count / maxCount)}
              width={Math.max(1, x(b.upper) - x(b.lower) - 2)}
              height={HIST * (b.count / maxCount)}
              className="rd-count"
            >
              <title>{`${b.count} samples with confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}`}</title>
            </rect>
          ) : null,
        )}
        <line x1={x(0)} x2={x(1)} y1={histTop + HIST} y2={histTop + HIST} className="rd-axis" />
        <text x={8} y={T + PLOT / 2} className="rd-label" transform={`rotate(-90 8 ${T + PLOT / 2})`} textAnchor="middle">
          accuracy
        </text>
        <text x={8} y={histTop + HIST / 2} className="rd-label" transform={`rotate(-90 8 ${histTop + HIST / 2})`} textAnchor="middle">
          count
        </text>
        <text x={(x(0) + x(1)) / 2} y={H - 1} className="rd-label" textAnchor="middle">
          confidence of the predicted label
        </text>
      </svg>
      <figcaption className="muted small">
        Bars: accuracy per confidence bin; dots: mean confidence in the bin; on the diagonal = perfectly calibrated. ECE {fixed(calibration.ece)} over{' '}
        {calibration.n} samples.
      </figcaption>
    </figure>
  );
}
