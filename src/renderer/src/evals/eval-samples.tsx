/** Samples browser of a run: outcome chips with counts, sort, the active matrix-cell filter, and a virtualized list. */
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EvalSampleView } from '../../../shared/eval-views';
import { OFF_LABEL_COLUMN } from '../../../shared/metrics-types';
import { EvalSampleRow } from './eval-sample-row';
import { OutcomeChips } from './outcome-chips';
import { SAMPLE_SORTS, useEvalSamples, type EvalSampleFilter, type SampleSort } from './use-eval-samples';

const ROW_HEIGHT = 84;

interface EvalSamplesProps {
  runId: number;
  /** The run's version: thumbnails show the image it froze (a robustness split's corrupted copy). */
  versionId: number;
  labels: string[];
  filter: EvalSampleFilter;
  onFilter: (filter: EvalSampleFilter) => void;
  onOpenSample: (row: EvalSampleView) => void;
}

export function EvalSamples({ runId, versionId, labels, filter, onFilter, onOpenSample }: EvalSamplesProps) {
  const samples = useEvalSamples(runId, filter);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: samples.total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensureRange, total, revision } = samples;
  useEffect(() => {
    if (total > 0) ensureRange(first, Math.min(last, total - 1));
  }, [first, last, total, ensureRange, revision]);

  return (
    <section className="panel-card eval-samples" data-testid="eval-samples">
      <header className="eval-samples-head">
        <h3>Samples</h3>
        <OutcomeChips value={filter.outcome} counts={samples.counts} onPick={(outcome) => onFilter({ ...filter, outcome })} testIdPrefix="outcome-chip-" />
        {filter.cell ? (
          <span className="cell-filter" data-testid="cell-filter">
            truth <strong>{filter.cell.truth}</strong> → predicted <strong>{filter.cell.prediction || OFF_LABEL_COLUMN}</strong>
            <button type="button" className="icon-button" aria-label="Clear the matrix filter" data-testid="cell-filter-clear" onClick={() => onFilter({ ...filter, cell: null })}>
              ×
            </button>
          </span>
        ) : null}
        <label className="inline sort-select">
          Sort
          <select data-testid="eval-sort" value={filter.sort} onChange={(e) => onFilter({ ...filter, sort: e.target.value as SampleSort })}>
            {SAMPLE_SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small" data-testid="eval-samples-count">
          {samples.total.toLocaleString()} shown
        </span>
      </header>
      <div className="eval-sample-list" ref={scrollRef} data-testid="eval-sample-list">
        {samples.ready && samples.total === 0 ? <p className="muted empty-line">No samples match — pick another outcome or clear the matrix filter.</p> : null}
        <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => (
            <EvalSampleRow
              key={v.key}
              row={samples.getRow(v.index)}
              versionId={versionId}
              labels={labels}
              onOpen={onOpenSample}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
            />
          ))}
        </div>
      </div>
    </section>
  );
}
