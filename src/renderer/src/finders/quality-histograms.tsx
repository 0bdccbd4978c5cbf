/** The quality run's metric histograms with editable thresholds: live counts of what each rule would flag, then a re-run with them. */
import { useMemo, useState } from 'react';
import type { FinderRun } from '../../../shared/finder-runs';
import { MetricHistogram } from './metric-histogram';

interface Rule {
  metric: string;
  label: string;
  option: string;
  below: boolean;
}

const RULES: Rule[] = [
  { metric: 'minSide', label: 'Shorter side (px)', option: 'minSide', below: true },
  { metric: 'aspect', label: 'Aspect ratio', option: 'maxAspect', below: false },
  { metric: 'std', label: 'Contrast (luma std)', option: 'minStd', below: true },
  { metric: 'mean', label: 'Brightness: dark below', option: 'darkMean', below: true },
  { metric: 'mean', label: 'Brightness: bright above', option: 'brightMean', below: false },
  { metric: 'laplacianVar', label: 'Sharpness (Laplacian var)', option: 'minLaplacianVar', below: true },
];

interface QualityHistogramsProps {
  run: FinderRun;
  onRerun: (options: Record<string, number>) => void;
}

export function QualityHistograms({ run, onRerun }: QualityHistogramsProps) {
  const metrics = useMemo(() => (run.stats?.metrics ?? {}) as Record<string, number[]>, [run.stats]);
  const [values, setValues] = useState<Record<string, number>>(() => Object.fromEntries(RULES.map((r) => [r.option, Number(run.options[r.option])])));
  const counts = useMemo(
    () => Object.fromEntries(RULES.map((r) => [r.option, (metrics[r.metric] ?? []).filter((v) => (r.below ? v < values[r.option] : v > values[r.option])).length])),
    [metrics, values],
  );
  const changed = RULES.some((r) => values[r.option] !== Number(run.options[r.option]));
  const shownMetrics = [...new Set(RULES.map((r) => r.metric))];
  return (
    <div className="quality-histograms" data-testid="quality-histograms">
      <div className="histogram-row">
        {shownMetrics.map((metric) => {
          const rules = RULES.filter((r) => r.metric === metric);
          return (
            <div key={metric} className="histogram-card">
              <MetricHistogram label={rules[0].label.split(':')[0]} values={metrics[metric] ?? []} thresholds={rules.map((r) => values[r.option])} />
              {rules.map((r) => (
                <label key={r.option} className="threshold" title={`${r.label}: flag images ${r.below ? 'below' : 'above'} this value`}>
                  <span>{r.below ? '<' : '>'}</span>
                  <input
                    type="number"
                    data-testid={`threshold-${r.option}`}
                    value={Number.isFinite(values[r.option]) ? values[r.option] : ''}
                    onChange={(e) => setValues({ ...values, [r.option]: Number(e.target.value) })}
                  />
                  <span className="muted" data-testid={`threshold-count-${r.option}`}>
                    {counts[r.option]} flagged
                  </span>
                </label>
              ))}
            </div>
          );
        })}
      </div>
      <button type="button" data-testid="quality-rerun" disabled={!changed} onClick={() => onRerun(values)}>
        Re-run with these thresholds…
      </button>
    </div>
  );
}
