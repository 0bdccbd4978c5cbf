/** The 2×2 agreement table of two runs (both right / only A / only B / both wrong) with McNemar's exact p-value and the paired bootstrap CI of the accuracy difference. */
import type { EvalComparison } from '../../../shared/eval-views';
import { pValue } from './eval-format';

/** +3.3 pp / −1.0 pp / 0.0 pp: a difference of rates in percentage points. */
function signedPp(value: number): string {
  const pp = value * 100;
  return `${pp > 0.0000001 ? '+' : pp < -0.0000001 ? '−' : ''}${Math.abs(pp).toFixed(1)} pp`;
}

export function AgreementTable({ cmp, aName, bName }: { cmp: EvalComparison; aName: string; bName: string }) {
  const significant = cmp.mcnemarP < 0.05;
  const discordant = cmp.onlyA + cmp.onlyB;
  return (
    <div className="agreement" data-testid="agreement-table">
      <table className="agreement-grid">
        <thead>
          <tr>
            <th />
            <th scope="col">B right</th>
            <th scope="col">B wrong</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">A right</th>
            <td className="agree-good" data-testid="agree-both-correct">
              <strong>{cmp.bothCorrect}</strong>
              <span>both right</span>
            </td>
            <td className="agree-diff" data-testid="agree-only-a">
              <strong>{cmp.onlyA}</strong>
              <span>only A</span>
            </td>
          </tr>
          <tr>
            <th scope="row">A wrong</th>
            <td className="agree-diff" data-testid="agree-only-b">
              <strong>{cmp.onlyB}</strong>
              <span>only B</span>
            </td>
            <td className="agree-bad" data-testid="agree-both-wrong">
              <strong>{cmp.bothWrong}</strong>
              <span>both wrong</span>
            </td>
          </tr>
        </tbody>
      </table>
      <div className="agreement-notes">
        <p>
          Over the <strong>{cmp.shared}</strong> samples both runs finished.
        </p>
        <p data-testid="mcnemar">
          McNemar exact test: <strong>{pValue(cmp.mcnemarP)}</strong>
        </p>
        {cmp.accuracyDiffCi ? (
          <p data-testid="bootstrap-ci" data-low={cmp.accuracyDiffCi.low} data-high={cmp.accuracyDiffCi.high} data-diff={cmp.accuracyDiffCi.diff}>
            Accuracy B − A: <strong>{signedPp(cmp.accuracyDiffCi.diff)}</strong>, paired bootstrap {Math.round(cmp.accuracyDiffCi.level * 100)}% CI{' '}
            <strong>
              [{signedPp(cmp.accuracyDiffCi.low)}, {signedPp(cmp.accuracyDiffCi.high)}]
            </strong>
            <span className="muted small"> ({cmp.accuracyDiffCi.resamples.toLocaleString()} resamples, seed {cmp.accuracyDiffCi.seed})</span>
            {cmp.shared < 30 ? (
              <span className="muted small" data-testid="bootstrap-small-n">
                {' '}
                — with under 30 shared samples the bootstrap interval runs narrow; McNemar's exact p is the safer guide.
              </span>
            ) : null}
          </p>
        ) : null}
        <p className="muted small">
          {discordant === 0
            ? 'The runs never disagree on correctness, so there is no evidence either is better.'
            : significant
              ? `The difference (${cmp.onlyA} vs ${cmp.onlyB}) is unlikely to be chance at the 5% level.`
              : `The difference (${cmp.onlyA} vs ${cmp.onlyB}) could well be chance — evaluate more samples before picking a winner.`}
        </p>
        {!cmp.sameVersion ? <p className="warn small">The runs used different dataset versions; only shared samples are compared.</p> : null}
        <p className="muted small">
          A = {aName} · B = {bName}
        </p>
      </div>
    </div>
  );
}
