/** A cascade sample's stage 1 in the samples list: the classifier's k proposals with their probabilities (truth marked). */
import type { CascadeStage1 } from '../../../shared/cascade-types';
import { pct } from './eval-format';

export function Stage1Line({ stage1, truth }: { stage1: CascadeStage1; truth: string }) {
  const hit = stage1.labels.includes(truth);
  return (
    <div className="eval-sample-raw" data-testid="eval-stage1" data-hit={hit} title={hit ? 'The truth was among the proposals' : 'The truth was not proposed: the VLM could not pick it'}>
      <span className="muted">proposed </span>
      {stage1.labels.map((l, i) => (
        <span key={l} className={l === truth ? 'truth' : undefined}>
          {i > 0 ? ' · ' : ''}
          {l} {pct(stage1.probabilities[i], 0)}
        </span>
      ))}
      {hit ? null : <span className="muted"> (truth not proposed)</span>}
      {stage1.unmappedMass >= 0.005 ? (
        <span className="muted" title="Classifier probability on classes no label maps to, before renormalising (an out-of-distribution signal)">
          {' '}
          · {pct(stage1.unmappedMass, 0)} outside the mapping
        </span>
      ) : null}
    </div>
  );
}
