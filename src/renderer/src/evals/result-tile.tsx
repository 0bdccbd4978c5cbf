/** One run sample as a grid tile: green/red border by correctness, truth and prediction, confidence bar, its label now if edited since. */
import type { EvalSampleView } from '../../../shared/eval-views';
import { mediaUrl } from '../api';
import { ImageTile, LoadingTile, type TileVerdict } from '../components/image-grid/image-tile';
import { tailPath } from '../lib/format';
import { pct } from './eval-format';

interface ResultTileProps {
  row: EvalSampleView | undefined;
  index: number;
  versionId: number;
  focused: boolean;
  onFocus: (index: number) => void;
  onOpen: (row: EvalSampleView) => void;
}

export function verdictOf(row: Pick<EvalSampleView, 'outcome'>): TileVerdict {
  if (row.outcome === 'correct') return 'correct';
  return row.outcome === 'pending' ? 'neutral' : 'wrong';
}

export function predictionText(row: EvalSampleView): string {
  if (row.outcome === 'pending') return 'not run';
  if (row.outcome === 'error') return 'error';
  return row.prediction ?? 'off-label';
}

export function ResultTile({ row, index, versionId, focused, onFocus, onOpen }: ResultTileProps) {
  if (!row) return <LoadingTile />;
  const verdict = verdictOf(row);
  const edited = row.currentLabel !== undefined && row.datasetSampleExists && row.currentLabel !== row.truth;
  const dropped = row.currentStatus === 'dropped';
  return (
    <ImageTile
      src={row.datasetSampleExists ? mediaUrl('thumb', row.sampleId, versionId) : null}
      alt={tailPath(row.originalPath)}
      verdict={verdict}
      focused={focused}
      overlay={dropped ? 'dropped' : null}
      confidence={row.confidence}
      title={`${row.originalPath}\ntruth ${row.truth} → ${predictionText(row)}${row.confidence !== null ? ` (${pct(row.confidence)})` : ''}\nClick to focus (1–9 relabel, D drop), double-click to open in the Data view`}
      onClick={() => onFocus(index)}
      onDoubleClick={() => onOpen(row)}
      testId="result-tile"
      data={{ 'data-sample-id': row.sampleId, 'data-index': index, 'data-outcome': row.outcome, 'data-truth': row.truth, 'data-prediction': row.prediction ?? '', 'data-current-label': row.currentLabel ?? '' }}
    >
      <div className="line">
        <span className="muted">truth</span> <span>{row.truth}</span>
      </div>
      <div className="line">
        <span className="muted">pred</span> <span className={`pred-${verdict}`}>{predictionText(row)}</span>
        {row.confidence !== null ? <span className="muted">{pct(row.confidence, 0)}</span> : null}
      </div>
      {edited ? (
        <div className="line now" data-testid="tile-now">
          now <span>{row.currentLabel ?? 'unlabelled'}</span>
        </div>
      ) : null}
    </ImageTile>
  );
}
