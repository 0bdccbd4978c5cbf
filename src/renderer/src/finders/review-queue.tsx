/**
 * A finder run as a review queue in the Data view: ranked tiles (the sample grid) with the finder's reason on each, or
 * duplicate groups side by side; the Data view's keys review them (1–9 relabel, D drop, K keep / keep this one, Z undo;
 * B drop as banner/overlay in an overlay queue, S relabel to the suggestion in a label-errors queue).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClassInfo, Sample } from '../../../shared/domain';
import type { FinderName } from '../../../shared/finder-types';
import { GridCell } from '../components/sample-grid';
import { VirtualImageGrid } from '../components/image-grid/virtual-image-grid';
import { DropReasonPicker } from '../dialogs/drop-reason-picker';
import { useKeyLayer } from '../keys/key-layers';
import { digitOf, isTextEntry } from '../keys/key-events';
import { tailPath } from '../lib/format';
import { DuplicateGroups } from './duplicate-groups';
import { FINDER_LABELS, suspectAsSample } from './finder-format';
import { QualityHistograms } from './quality-histograms';
import { useReview } from './use-review';
import { useStudio } from '../state/studio-context';
import { BANNER_REASON, SuspectNote } from './suspect-note';

interface ReviewQueueProps {
  datasetId: number;
  runId: number;
  classes: ClassInfo[];
  onExit: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onRerun: (finder: FinderName, options: Record<string, unknown>) => void;
  /** The focused suspect as a sample, for the detail panel beside the queue. */
  onFocusSample: (sample: Sample | undefined) => void;
  /** Leaves the queue for the ordinary sample table/grid filtered to this run's suspects (rank order). */
  onShowInTable: (runId: number) => void;
}

/** A review queue has no multi-selection: keys act on the focused suspect. */
const NO_SELECTION: ReadonlySet<number> = new Set();

export function ReviewQueue({ datasetId, runId, classes, onExit, onUndo, onRedo, onRerun, onFocusSample, onShowInTable }: ReviewQueueProps) {
  const review = useReview(datasetId, runId);
  const { showToast } = useStudio();
  const { run, shown, focused, focusIndex, setFocus, act } = review;
  const [columns, setColumns] = useState(4);
  const [dropIds, setDropIds] = useState<number[] | null>(null);
  const grouped = run?.finder === 'duplicates';

  const samples = useMemo(() => shown.map((s) => suspectAsSample(s, datasetId)), [shown, datasetId]);
  const focusedSample = focusIndex >= 0 ? samples[focusIndex] : undefined;
  useEffect(() => onFocusSample(focusedSample), [focusedSample, onFocusSample]);
  const bySample = useMemo(() => new Map(shown.map((s) => [s.sampleId, s])), [shown]);
  const getSample = useCallback((i: number) => samples[i], [samples]);

  const dropAsBanner = useCallback(() => {
    if (focused) void act({ kind: 'drop', sampleIds: [focused.sampleId], reason: BANNER_REASON }, `Dropped ${tailPath(focused.originalPath)} (${BANNER_REASON})`);
  }, [focused, act]);
  const relabelToSuggestion = useCallback(() => {
    if (!focused?.suggestedLabel) return;
    const target = classes.find((c) => c.name === focused.suggestedLabel);
    if (!target) return showToast(`No class "${focused.suggestedLabel}" in this dataset to relabel to`);
    void act({ kind: 'relabel', sampleIds: [focused.sampleId], classId: target.id }, `Relabelled ${tailPath(focused.originalPath)} → ${target.name} (suggested)`);
  }, [focused, classes, act, showToast]);

  const keep = useCallback(() => {
    if (!focused) return;
    if (grouped) void act({ kind: 'keep-one', keepSampleId: focused.sampleId }, `Kept ${tailPath(focused.originalPath)}, dropped the rest of its group`);
    else void act({ kind: 'keep', sampleIds: [focused.sampleId] }, `Kept ${tailPath(focused.originalPath)}`);
  }, [focused, grouped, act]);

  /** Up/down: a grid row, or the neighbouring duplicate group. */
  const moveRows = (delta: number) => {
    if (!grouped) return setFocus(Math.max(0, Math.min(shown.length - 1, focusIndex + delta * columns)));
    let i = focusIndex;
    const group = shown[i]?.group;
    if (delta > 0) {
      while (i < shown.length && shown[i].group === group) i++;
      if (i < shown.length) setFocus(i);
    } else {
      while (i > 0 && shown[i - 1].group === group) i--;
      if (i > 0) {
        const prev = shown[i - 1].group;
        while (i > 0 && shown[i - 1].group === prev) i--;
        setFocus(i);
      }
    }
  };

  useKeyLayer((event) => {
    if (event.key === 'Escape') {
      onExit();
      return true;
    }
    if (isTextEntry(event.target) || event.altKey) return false;
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'z') {
      (event.shiftKey ? onRedo : onUndo)();
      return true;
    }
    if (event.ctrlKey || event.metaKey) return false;
    const digit = digitOf(event);
    if (digit !== null && digit > 0 && !event.shiftKey) {
      const target = classes[digit - 1];
      if (focused && target) void act({ kind: 'relabel', sampleIds: [focused.sampleId], classId: target.id }, `Relabelled ${tailPath(focused.originalPath)} → ${target.name}`);
      return true;
    }
    switch (key) {
      case 'ArrowRight':
        setFocus(Math.min(shown.length - 1, focusIndex + 1));
        return true;
      case 'ArrowLeft':
        setFocus(Math.max(0, focusIndex - 1));
        return true;
      case 'ArrowDown':
        moveRows(1);
        return true;
      case 'ArrowUp':
        moveRows(-1);
        return true;
    }
    switch (key.toLowerCase()) {
      case 'd':
        if (focused) setDropIds([focused.sampleId]);
        return true;
      case 'k':
      case 'a':
        keep();
        return true;
      case 'b':
        if (run?.finder !== 'overlays') return false;
        dropAsBanner();
        return true;
      case 's':
        if (run?.finder !== 'label-errors') return false;
        relabelToSuggestion();
        return true;
      case 'z':
        (event.shiftKey ? onRedo : onUndo)();
        return true;
      default:
        return false;
    }
  });

  const note = useCallback(
    (sample: Sample) => {
      const s = bySample.get(sample.id);
      return s && run ? <SuspectNote finder={run.finder} suspect={s} /> : null;
    },
    [bySample, run],
  );

  if (!run) return <div className="review-queue muted">{review.loading ? 'Loading the review queue…' : 'This finder run is gone.'}</div>;
  const open = review.all.filter((s) => s.review === 'open').length;
  return (
    <div className="review-queue" data-testid="review-queue" data-finder={run.finder} data-open={open}>
      <header className="review-head">
        <div>
          <strong>
            {FINDER_LABELS[run.finder].title} · run #{run.id}
          </strong>{' '}
          <span className="muted">
            {open} open of {review.all.length} suspects · {run.sampleCount} samples searched
          </span>
        </div>
        <div className="review-keys muted">
          ← → ↑ ↓ move · 1–{Math.min(9, classes.length)} relabel · D drop
          {run.finder === 'overlays' ? ' · B drop as banner/overlay' : ''}
          {run.finder === 'label-errors' ? ' · S relabel to suggestion · A/K accept (keep label)' : ` · K ${grouped ? 'keep this one, drop the rest' : 'keep'}`} · Z undo · Esc exit
        </div>
        <label className="review-toggle">
          <input type="checkbox" checked={review.showReviewed} onChange={(e) => review.setShowReviewed(e.target.checked)} /> show reviewed
        </label>
        {run.finder === 'overlays' ? (
          <button type="button" data-testid="review-drop-banner" disabled={!focused} onClick={dropAsBanner}>
            Drop as banner/overlay (B)
          </button>
        ) : null}
        {run.finder === 'label-errors' ? (
          <button type="button" data-testid="review-relabel-suggested" disabled={!focused?.suggestedLabel} onClick={relabelToSuggestion}>
            Relabel to {focused?.suggestedLabel ?? 'suggestion'} (S)
          </button>
        ) : null}
        <button type="button" data-testid="review-as-filter" title="The ordinary sample table/grid, filtered to this run's suspects in rank order" onClick={() => onShowInTable(run.id)}>
          Show as a filter
        </button>
        <button type="button" data-testid="review-exit" onClick={onExit}>
          Back to all samples
        </button>
      </header>
      {run.finder === 'quality' && run.stats ? <QualityHistograms run={run} onRerun={(o) => onRerun('quality', o)} /> : null}
      {shown.length === 0 ? (
        <div className="review-empty" data-testid="review-empty">
          {review.all.length === 0 ? 'No suspects: nothing found with these settings.' : 'All suspects reviewed.'}
        </div>
      ) : grouped ? (
        <DuplicateGroups
          datasetId={datasetId}
          suspects={shown}
          classes={classes}
          focusIndex={focusIndex}
          onFocus={setFocus}
          onKeepOne={(s) => void act({ kind: 'keep-one', keepSampleId: s.sampleId }, `Kept ${tailPath(s.originalPath)}, dropped the rest of its group`)}
        />
      ) : (
        <VirtualImageGrid
          count={samples.length}
          getItem={getSample}
          tileWidth={148}
          tileHeight={224}
          gap={12}
          focusIndex={focusIndex}
          onColumnsChange={setColumns}
          renderTile={(sample, i) => (
            <GridCell index={i} sample={sample} focused={i === focusIndex} selected={NO_SELECTION} classes={classes} onActivate={(index) => setFocus(index)} note={note} />
          )}
          testId="sample-grid"
          className="sample-grid review-grid"
        />
      )}
      {dropIds ? (
        <DropReasonPicker
          count={dropIds.length}
          onClose={() => setDropIds(null)}
          onConfirm={(reason) => {
            const ids = dropIds;
            setDropIds(null);
            void act({ kind: 'drop', sampleIds: ids, reason }, `Dropped ${ids.length === 1 ? tailPath(focused?.originalPath ?? '') : `${ids.length} samples`} (${reason})`);
          }}
        />
      ) : null}
    </div>
  );
}
