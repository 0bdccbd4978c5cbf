/** A run's results grid: every sample as a windowed tile (right/wrong border, truth, prediction, confidence), filterable, cleanable by keyboard. */
import { forwardRef, useCallback, useEffect, useState } from 'react';
import type { EvalRun } from '../../../shared/eval-types';
import type { EvalSampleView } from '../../../shared/eval-views';
import { VirtualImageGrid } from '../components/image-grid/virtual-image-grid';
import { DropReasonPicker } from '../dialogs/drop-reason-picker';
import { ResultTile } from './result-tile';
import { ResultsGridFilters, ResultsGridSort } from './results-grid-filters';
import { useEvalSamples, type EvalSampleFilter } from './use-eval-samples';
import { useGridEdits } from './use-grid-edits';

interface ResultsGridProps {
  run: EvalRun;
  filter: EvalSampleFilter;
  onFilter: (filter: EvalSampleFilter) => void;
  onOpenSample: (row: EvalSampleView) => void;
}

export const TILE_WIDTH = 150;
export const TILE_HEIGHT = 206;

export const ResultsGrid = forwardRef<HTMLElement, ResultsGridProps>(function ResultsGrid({ run, filter, onFilter, onOpenSample }, ref) {
  const samples = useEvalSamples(run.id, filter);
  const [focusIndex, setFocusIndex] = useState(-1);
  const [columns, setColumns] = useState(4);
  const filterKey = JSON.stringify(filter);
  useEffect(() => setFocusIndex(-1), [filterKey]);
  const edits = useGridEdits({ datasetId: run.datasetId, runId: run.id, samples, focusIndex, setFocus: setFocusIndex, columns });
  const hasConfidence = run.mode === 'scored' || run.mode === 'classifier';
  const { getRow } = samples;
  const renderTile = useCallback(
    (row: EvalSampleView | undefined, index: number) => (
      <ResultTile row={row} index={index} versionId={run.versionId} focused={index === focusIndex} onFocus={setFocusIndex} onOpen={onOpenSample} />
    ),
    [run.versionId, focusIndex, onOpenSample],
  );

  return (
    <section className="panel-card results-grid" ref={ref} data-testid="results-grid" data-total={samples.total} data-focus={focusIndex}>
      <header className="results-grid-head">
        <h3>Results grid</h3>
        <span className="muted small" data-testid="results-grid-count">
          {samples.total.toLocaleString()} shown
        </span>
        {hasConfidence ? <ResultsGridSort filter={filter} onFilter={onFilter} /> : null}
      </header>
      <ResultsGridFilters filter={filter} onFilter={onFilter} labels={run.labels} counts={samples.counts} hasConfidence={hasConfidence} />
      <VirtualImageGrid
        count={samples.total}
        getItem={getRow}
        ensureRange={samples.ensureRange}
        revision={samples.revision}
        tileWidth={TILE_WIDTH}
        tileHeight={TILE_HEIGHT}
        focusIndex={focusIndex}
        onColumnsChange={setColumns}
        renderTile={renderTile}
        testId="results-grid-tiles"
        className="results-grid-scroll"
        maxHeight={470}
        empty={samples.ready ? <p className="muted empty-line">No samples match these filters.</p> : null}
      />
      <p className="muted small grid-keys">
        Click a tile, then ← → ↑ ↓ move · 1–{Math.min(9, edits.classCount)} relabel · 0 unlabel · D drop · R restore · Z undo (same keys as the Data view) · double-click opens it in
        Data
      </p>
      {edits.dropIds ? <DropReasonPicker count={edits.dropIds.length} onClose={edits.closeDrop} onConfirm={(reason) => edits.drop(edits.dropIds ?? [], reason)} /> : null}
    </section>
  );
});
