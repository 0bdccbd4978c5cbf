/** Virtualized thumbnail grid over the same filtered page cache as the table (rows of N cells). */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Sample } from '../../../shared/domain';
import { mediaUrl } from '../api';
import { tailPath } from '../lib/format';
import { LabelBadge } from './sample-cells';
import type { SampleViewProps } from './sample-table';

const CELL_WIDTH = 160;
const CELL_HEIGHT = 196;

interface GridProps extends SampleViewProps {
  onColumnsChange: (columns: number) => void;
  /** Extra line under a tile (a finder's reason); tiles grow by NOTE_HEIGHT when given. */
  note?: (sample: Sample) => ReactNode;
}

/** Height a tile's note line adds. */
const NOTE_HEIGHT = 40;

export function SampleGrid({ pages, classes, focusIndex, selected, onActivate, onColumnsChange, note }: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setColumns(Math.max(1, Math.floor((element.clientWidth - 16) / CELL_WIDTH)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => onColumnsChange(columns), [columns, onColumnsChange]);

  const rowCount = Math.ceil(pages.total / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CELL_HEIGHT + (note ? NOTE_HEIGHT : 0),
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const first = (items[0]?.index ?? 0) * columns;
  const last = ((items[items.length - 1]?.index ?? 0) + 1) * columns - 1;
  const { ensureRange, getRow, revision } = pages;

  useEffect(() => {
    if (pages.total > 0) ensureRange(first, Math.min(last, pages.total - 1));
  }, [first, last, pages.total, ensureRange, revision]);

  useEffect(() => {
    if (focusIndex >= 0 && focusIndex < pages.total) {
      virtualizer.scrollToIndex(Math.floor(focusIndex / columns), { align: 'auto' });
    }
  }, [focusIndex, columns, pages.total, virtualizer]);

  return (
    <div className="sample-grid" ref={scrollRef} data-testid="sample-grid">
      <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((virtual) => (
          <div
            key={virtual.key}
            className="grid-row"
            style={{ transform: `translateY(${virtual.start}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = virtual.index * columns + c;
              if (index >= pages.total) return null;
              return (
                <GridCell
                  key={index}
                  index={index}
                  sample={getRow(index)}
                  focused={index === focusIndex}
                  selected={selected}
                  classes={classes}
                  onActivate={onActivate}
                  note={note}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

interface CellProps extends Pick<SampleViewProps, 'classes' | 'selected' | 'onActivate'> {
  index: number;
  sample: Sample | undefined;
  focused: boolean;
  note?: (sample: Sample) => ReactNode;
}

/** One thumbnail tile (exported for layouts that place tiles themselves, e.g. duplicate groups side by side). */
export function GridCell({ index, sample, focused, selected, classes, onActivate, note }: CellProps) {
  if (!sample) return <div className="grid-cell loading" />;
  const classNames = ['grid-cell'];
  if (focused) classNames.push('focused');
  if (selected.has(sample.id)) classNames.push('selected');
  if (sample.status === 'dropped') classNames.push('dropped');
  if (note) classNames.push('with-note');
  return (
    <div
      className={classNames.join(' ')}
      data-testid="grid-cell"
      data-sample-id={sample.id}
      data-index={index}
      title={sample.originalPath}
      onClick={(event) => onActivate(index, sample, event)}
    >
      <div className="grid-image">
        <img src={mediaUrl('thumb', sample.id)} alt={tailPath(sample.originalPath)} loading="lazy" decoding="async" draggable={false} />
        {sample.status === 'dropped' ? <div className="grid-drop-reason">{sample.dropReason ?? 'dropped'}</div> : null}
        {selected.has(sample.id) ? <div className="grid-check">✓</div> : null}
      </div>
      <div className="grid-caption">
        <LabelBadge sample={sample} classes={classes} />
        <span className="grid-id">#{sample.id}</span>
      </div>
      {note ? <div className="grid-note">{note(sample)}</div> : null}
    </div>
  );
}
