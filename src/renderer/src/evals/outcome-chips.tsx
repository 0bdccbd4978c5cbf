/** Outcome filter chips with counts, shared by a run's sample list and its results grid. */
import type { EvalOutcome } from '../../../shared/eval-views';
import type { OutcomeFilter } from './use-eval-samples';

const OUTCOMES: { id: OutcomeFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'correct', label: 'Correct' },
  { id: 'wrong', label: 'Wrong' },
  { id: 'off-label', label: 'Off-label' },
  { id: 'error', label: 'Error' },
  { id: 'pending', label: 'Pending' },
];

interface OutcomeChipsProps {
  value: OutcomeFilter;
  counts: Record<EvalOutcome, number>;
  onPick: (outcome: OutcomeFilter) => void;
  /** data-testid of each chip: `${testIdPrefix}${id}`. */
  testIdPrefix: string;
  /** Outcomes this view never offers (the grid shows finished samples only). */
  omit?: readonly OutcomeFilter[];
}

/** "All" and every outcome that has samples (or is the one picked), each with its count. */
export function OutcomeChips({ value, counts, onPick, testIdPrefix, omit = [] }: OutcomeChipsProps) {
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const countOf = (id: OutcomeFilter) => (id === 'all' ? all : counts[id as EvalOutcome]);
  const shown = OUTCOMES.filter((o) => !omit.includes(o.id) && (o.id === 'all' || o.id === value || countOf(o.id) > 0));
  return (
    <div className="chips" role="group" aria-label="Outcome">
      {shown.map((o) => (
        <button
          key={o.id}
          type="button"
          className={`chip chip-${o.id}${value === o.id ? ' on' : ''}`}
          aria-pressed={value === o.id}
          data-testid={`${testIdPrefix}${o.id}`}
          onClick={() => onPick(o.id)}
        >
          {o.label} <span className="chip-count">{countOf(o.id)}</span>
        </button>
      ))}
    </div>
  );
}
