/** The flips of a comparison as two image grids: samples A got right and B got wrong, and the reverse. */
import { useCallback, useMemo } from 'react';
import type { EvalComparisonRow } from '../../../shared/eval-views';
import { mediaUrl } from '../api';
import { ImageTile } from '../components/image-grid/image-tile';
import { VirtualImageGrid } from '../components/image-grid/virtual-image-grid';
import { tailPath } from '../lib/format';

interface FlipsGridsProps {
  rows: EvalComparisonRow[];
  /** Run A's snapshot (thumbnails are its frozen images). */
  versionId: number;
  onOpenSample: (row: EvalComparisonRow) => void;
}

/** Splits the one-right disagreements into the two flip directions (a both-wrong disagreement is no flip). */
export function splitFlips(rows: EvalComparisonRow[]): { aToWrong: EvalComparisonRow[]; aToRight: EvalComparisonRow[] } {
  return {
    aToWrong: rows.filter((r) => r.a === r.truth && r.b !== r.truth),
    aToRight: rows.filter((r) => r.a !== r.truth && r.b === r.truth),
  };
}

function FlipGrid({ title, rows, bRight, versionId, testId, onOpenSample }: { title: string; rows: EvalComparisonRow[]; bRight: boolean; versionId: number; testId: string; onOpenSample: (row: EvalComparisonRow) => void }) {
  const getItem = useCallback((i: number) => rows[i], [rows]);
  const renderTile = useCallback(
    (row: EvalComparisonRow | undefined) =>
      row ? (
        <ImageTile
          src={mediaUrl('thumb', row.sampleId, versionId)}
          alt={tailPath(row.originalPath)}
          verdict={bRight ? 'correct' : 'wrong'}
          title={`${row.originalPath}\ntruth ${row.truth} · A ${row.a ?? 'off-label'} · B ${row.b ?? 'off-label'}\nDouble-click to open it in the Data view`}
          onDoubleClick={() => onOpenSample(row)}
          testId="flip-tile"
          data={{ 'data-sample-id': row.sampleId, 'data-truth': row.truth, 'data-a': row.a ?? '', 'data-b': row.b ?? '' }}
        >
          <div className="line">
            <span className="muted">truth</span> <span>{row.truth}</span>
          </div>
          <div className="line">
            <span className="muted">A</span> <span className={bRight ? 'pred-wrong' : 'pred-correct'}>{row.a ?? 'off-label'}</span>
          </div>
          <div className="line">
            <span className="muted">B</span> <span className={bRight ? 'pred-correct' : 'pred-wrong'}>{row.b ?? 'off-label'}</span>
          </div>
        </ImageTile>
      ) : null,
    [bRight, versionId, onOpenSample],
  );
  return (
    <section className="panel-card flip-grid" data-testid={testId} data-count={rows.length}>
      <h3>
        {title} <span className="muted">({rows.length})</span>
      </h3>
      <VirtualImageGrid
        count={rows.length}
        getItem={getItem}
        tileWidth={140}
        tileHeight={196}
        renderTile={renderTile}
        testId={`${testId}-tiles`}
        className="flip-grid-scroll"
        maxHeight={250}
        empty={<p className="muted empty-line">None.</p>}
      />
    </section>
  );
}

export function FlipsGrids({ rows, versionId, onOpenSample }: FlipsGridsProps) {
  const { aToWrong, aToRight } = useMemo(() => splitFlips(rows), [rows]);
  return (
    <div className="flips" data-testid="flips">
      <FlipGrid title="A right → B wrong" rows={aToWrong} bRight={false} versionId={versionId} testId="flips-a-right" onOpenSample={onOpenSample} />
      <FlipGrid title="A wrong → B right" rows={aToRight} bRight versionId={versionId} testId="flips-b-right" onOpenSample={onOpenSample} />
    </div>
  );
}
