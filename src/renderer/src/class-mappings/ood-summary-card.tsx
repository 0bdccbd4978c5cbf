/** A mapped classifier run's out-of-distribution signal: mean OOD mass, share of samples above 50%, and the model's own classes behind it. */
import { OOD_HIGH_THRESHOLD } from '../../../shared/class-mapping-types';
import type { EvalRun } from '../../../shared/eval-types';
import { pct } from '../evals/eval-format';
import { useOodSummary } from './use-class-mappings';
import '../styles/class-mappings.css';

export function OodSummaryCard({ run }: { run: EvalRun }) {
  const mapped = run.mode === 'classifier' && run.classMapping !== null;
  const s = useOodSummary(run.id, mapped);
  if (!mapped || !s || s.count === 0) return null;
  const high = Math.round((s.shareAboveHalf ?? 0) * s.count);
  return (
    <section className="panel-card ood-card" data-testid="ood-summary" data-mean={s.meanOodMass ?? ''} data-share={s.shareAboveHalf ?? ''}>
      <h3>Out-of-distribution mass · {run.classMapping}</h3>
      <div className="ood-figures">
        <span>
          <strong data-testid="ood-mean">{pct(s.meanOodMass)}</strong> <span className="muted">mean mass outside the mapped classes</span>
        </span>
        <span>
          <strong data-testid="ood-share">{pct(s.shareAboveHalf)}</strong>{' '}
          <span className="muted">
            of samples ({high} of {s.count}) above {pct(OOD_HIGH_THRESHOLD, 0)}
          </span>
        </span>
      </div>
      {s.topOutsideClasses.length > 0 ? (
        <p className="small" data-testid="ood-top">
          <span className="muted">The model's own answer on those: </span>
          {s.topOutsideClasses.map((c) => `${c.label} ×${c.count}`).join(', ')}
        </p>
      ) : null}
      <p className="hint">
        OOD mass is the model's probability on classes no target lists explicitly (swept into a rest target or left out). Predictions, confidence and the
        calibration diagram use the probabilities renormalised over the targets, so a 77% "triceratops" can read as a confident "cat" there.
      </p>
    </section>
  );
}
