/** A windowed image grid (only the visible rows are in the DOM) over any indexed source: a run's results, flips, a finder queue. */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface VirtualImageGridProps<T> {
  /** How many tiles the source holds (may exceed what is loaded). */
  count: number;
  getItem: (index: number) => T | undefined;
  /** Asked for the index range on screen (load pages lazily); optional for in-memory sources. */
  ensureRange?: (first: number, last: number) => void;
  /** Bumps when loaded items change, so the visible range is re-requested. */
  revision?: number;
  /** Minimum tile width; columns = floor(width / tileWidth). */
  tileWidth: number;
  tileHeight: number;
  gap?: number;
  /** The focused tile is kept in view (keyboard navigation). */
  focusIndex?: number;
  renderTile: (item: T | undefined, index: number) => ReactNode;
  onColumnsChange?: (columns: number) => void;
  testId?: string;
  className?: string;
  empty?: ReactNode;
  /** The scroll area shrinks to its rows up to this height (px), so a short result leaves no empty band. */
  maxHeight?: number;
}

export function VirtualImageGrid<T>(props: VirtualImageGridProps<T>) {
  const { count, getItem, ensureRange, revision = 0, tileWidth, tileHeight, gap = 10, focusIndex = -1, renderTile, onColumnsChange } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => setColumns(Math.max(1, Math.floor((element.clientWidth - 16 + gap) / (tileWidth + gap))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [tileWidth, gap]);
  useEffect(() => onColumnsChange?.(columns), [columns, onColumnsChange]);

  const rowCount = Math.ceil(count / columns);
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => tileHeight + gap, overscan: 2 });
  const rows = virtualizer.getVirtualItems();
  const first = (rows[0]?.index ?? 0) * columns;
  const last = Math.min(count - 1, ((rows[rows.length - 1]?.index ?? 0) + 1) * columns - 1);
  useEffect(() => {
    if (count > 0) ensureRange?.(first, last);
  }, [first, last, count, ensureRange, revision]);
  useEffect(() => {
    if (focusIndex >= 0 && focusIndex < count) virtualizer.scrollToIndex(Math.floor(focusIndex / columns), { align: 'auto' });
  }, [focusIndex, columns, count, virtualizer]);

  return (
    <div
      className={`image-grid ${props.className ?? ''}`}
      ref={scrollRef}
      style={props.maxHeight ? { height: Math.min(props.maxHeight, Math.max(count === 0 ? 48 : 0, virtualizer.getTotalSize() + 16)) } : undefined} data-testid={props.testId ?? 'image-grid'} data-count={count} data-columns={columns}>
      {count === 0 ? props.empty : null}
      <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => (
          <div
            key={row.key}
            className="image-grid-row"
            style={{ transform: `translateY(${row.start}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gridTemplateRows: `${tileHeight}px`, columnGap: gap, height: tileHeight }}
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = row.index * columns + c;
              return index < count ? <div key={index} className="image-grid-slot">{renderTile(getItem(index), index)}</div> : null;
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
