/** The results grid's filter bar: outcome, truth, prediction, confidence range, the matrix cell, and the confidence sort. */
import type { EvalOutcome } from '../../../shared/eval-views';
import { OFF_LABEL_COLUMN } from '../../../shared/metrics-types';
import { OutcomeChips } from './outcome-chips';
import { SAMPLE_SORTS, type EvalSampleFilter, type SampleSort } from './use-eval-samples';

interface ResultsGridFiltersProps {
  filter: EvalSampleFilter;
  onFilter: (filter: EvalSampleFilter) => void;
  labels: string[];
  counts: Record<EvalOutcome, number>;
  /** Scored/classifier runs have a confidence per sample (range filter and sort). */
  hasConfidence: boolean;
}

/** A percentage field (0–100) for one end of the confidence range; empty = open. */
function PercentField({ label, value, testId, onChange }: { label: string; value: number | undefined; testId: string; onChange: (v: number | undefined) => void }) {
  return (
    <label className="inline conf-field">
      {label}
      <input
        type="number"
        min={0}
        max={100}
        step={5}
        placeholder={label === 'min' ? '0' : '100'}
        data-testid={testId}
        value={value === undefined ? '' : Math.round(value * 100)}
        onChange={(e) => {
          const v = e.target.value === '' ? undefined : Math.max(0, Math.min(100, Number(e.target.value))) / 100;
          onChange(v === undefined || Number.isNaN(v) ? undefined : v);
        }}
      />
      %
    </label>
  );
}

export function ResultsGridFilters({ filter, onFilter, labels, counts, hasConfidence }: ResultsGridFiltersProps) {
  const set = (patch: Partial<EvalSampleFilter>) => onFilter({ ...filter, ...patch });
  return (
    <div className="results-filters" data-testid="results-grid-filters">
      <OutcomeChips value={filter.outcome} counts={counts} onPick={(outcome) => set({ outcome })} testIdPrefix="grid-outcome-" omit={['pending']} />
      {filter.cell ? (
        <span className="cell-filter" data-testid="grid-cell-filter">
          cell <strong>{filter.cell.truth}</strong> → <strong>{filter.cell.prediction || OFF_LABEL_COLUMN}</strong>
          <button type="button" className="icon-button" aria-label="Clear the matrix cell" data-testid="grid-cell-filter-clear" onClick={() => set({ cell: null })}>
            ×
          </button>
        </span>
      ) : (
        <>
          <label className="inline">
            Truth
            <select data-testid="grid-truth" value={filter.truth ?? ''} onChange={(e) => set({ truth: e.target.value || undefined })}>
              <option value="">any</option>
              {labels.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            Predicted
            <select data-testid="grid-prediction" value={filter.prediction ?? '*'} onChange={(e) => set({ prediction: e.target.value === '*' ? undefined : e.target.value })}>
              <option value="*">any</option>
              {labels.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
              <option value="">{OFF_LABEL_COLUMN}</option>
            </select>
          </label>
        </>
      )}
      {hasConfidence ? (
        <span className="conf-range" title="Confidence of the predicted label">
          <span className="muted">confidence</span>
          <PercentField label="min" value={filter.minConfidence} testId="grid-conf-min" onChange={(v) => set({ minConfidence: v })} />
          <PercentField label="max" value={filter.maxConfidence} testId="grid-conf-max" onChange={(v) => set({ maxConfidence: v })} />
        </span>
      ) : null}
    </div>
  );
}

/** Sort by confidence (scored/classifier runs), in the grid's header. */
export function ResultsGridSort({ filter, onFilter }: { filter: EvalSampleFilter; onFilter: (filter: EvalSampleFilter) => void }) {
  return (
    <label className="inline grid-sort">
      Sort
      <select data-testid="grid-sort" value={filter.sort} onChange={(e) => onFilter({ ...filter, sort: e.target.value as SampleSort })}>
        {SAMPLE_SORTS.filter((s) => s.id !== 'latency-desc').map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </select>
    </label>
  );
}
