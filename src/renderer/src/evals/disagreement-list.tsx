/** Samples where the two runs disagree (one right, or both wrong with different answers), with thumbnails. */
import type { EvalComparisonRow } from '../../../shared/eval-views';
import { mediaUrl } from '../api';
import { tailPath } from '../lib/format';

interface DisagreementListProps {
  rows: EvalComparisonRow[];
  onOpenSample: (row: EvalComparisonRow) => void;
}

function Answer({ value, truth }: { value: string | null; truth: string }) {
  const cls = value === null ? 'outcome-off-label' : value === truth ? 'outcome-correct' : 'outcome-wrong';
  return <span className={`prediction ${cls}`}>{value ?? 'off-label'}</span>;
}

export function DisagreementList({ rows, onOpenSample }: DisagreementListProps) {
  if (rows.length === 0) return <p className="muted" data-testid="disagreements-empty">The two runs give the same answer on every shared sample.</p>;
  return (
    <ul className="disagreements" data-testid="disagreements">
      {rows.map((r) => (
        <li key={r.sampleId}>
          <button type="button" className="disagreement" data-testid="disagreement" data-sample-id={r.sampleId} title={`${r.originalPath}\nOpen in the Data view`} onClick={() => onOpenSample(r)}>
            <img
              src={mediaUrl('thumb', r.sampleId)}
              alt=""
              loading="lazy"
              onError={(e) => {
                e.currentTarget.style.visibility = 'hidden';
              }}
            />
            <span className="disagreement-body">
              <span className="mono small">{tailPath(r.originalPath)}</span>
              <span>
                truth <strong>{r.truth}</strong>
              </span>
              <span>
                A <Answer value={r.a} truth={r.truth} /> · B <Answer value={r.b} truth={r.truth} />
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
