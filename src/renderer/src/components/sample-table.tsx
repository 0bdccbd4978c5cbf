/**
 * Virtualized sample table: @tanstack/react-table for columns and (server-side) sorting,
 * @tanstack/react-virtual for rows; only the visible window is built, pages load on demand.
 */
import { useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ClassInfo, Sample, SortKey } from '../../../shared/domain';
import { mediaUrl } from '../api';
import { formatBytes, tailPath } from '../lib/format';
import type { ViewSort } from '../lib/view-filter';
import type { SamplePages } from '../state/use-sample-pages';
import { LabelBadge, SplitBadge, StatusBadge } from './sample-cells';
import { useColumnSizing } from './use-column-sizing';

const ROW_HEIGHT = 52;

/** The modifier keys of the click that focused/selected a sample. */
export interface ClickModifiers {
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

interface RowData {
  index: number;
  sample: Sample | null;
}

const SORT_KEYS: Record<string, SortKey | undefined> = {
  id: 'id',
  path: 'path',
  label: 'label',
  split: 'split',
  status: 'status',
  dims: 'width',
  bytes: 'bytes',
};

export interface SampleViewProps {
  pages: SamplePages;
  classes: ClassInfo[];
  focusIndex: number;
  selected: ReadonlySet<number>;
  onActivate: (index: number, sample: Sample, modifiers: ClickModifiers) => void;
}

interface TableProps extends SampleViewProps {
  sort: ViewSort;
  onSort: (sort: ViewSort) => void;
}

export function SampleTable({ pages, classes, focusIndex, selected, onActivate, sort, onSort }: TableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [columnSizing, setColumnSizing] = useColumnSizing();
  const virtualizer = useVirtualizer({
    count: pages.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensureRange, getRow, revision } = pages;

  useEffect(() => {
    if (pages.total > 0) ensureRange(first, last);
  }, [first, last, pages.total, ensureRange, revision]);

  useEffect(() => {
    if (focusIndex >= 0 && focusIndex < pages.total) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, pages.total, virtualizer]);

  const columns = useMemo<ColumnDef<RowData>[]>(
    () => [
      { id: 'thumb', header: '', size: 48, enableSorting: false, enableResizing: false, cell: ({ row }) => <Thumb sample={row.original.sample} /> },
      { id: 'id', header: 'ID', size: 46, minSize: 40, cell: ({ row }) => row.original.sample?.id ?? '' },
      {
        id: 'path',
        header: 'File',
        size: 170,
        minSize: 90,
        cell: ({ row }) => (
          <span className="cell-path" title={row.original.sample?.originalPath}>
            {row.original.sample ? tailPath(row.original.sample.originalPath) : ''}
          </span>
        ),
      },
      {
        id: 'label',
        header: 'Label',
        size: 80,
        minSize: 60,
        cell: ({ row }) => (row.original.sample ? <LabelBadge sample={row.original.sample} classes={classes} /> : null),
      },
      { id: 'split', header: 'Split', size: 58, minSize: 48, cell: ({ row }) => (row.original.sample ? <SplitBadge split={row.original.sample.split} /> : null) },
      { id: 'status', header: 'Status', size: 66, minSize: 56, cell: ({ row }) => (row.original.sample ? <StatusBadge sample={row.original.sample} /> : null) },
      {
        id: 'dropReason',
        header: 'Drop reason',
        size: 100,
        minSize: 50,
        enableSorting: false,
        cell: ({ row }) => <span className="cell-reason">{row.original.sample?.dropReason ?? ''}</span>,
      },
      {
        id: 'dims',
        header: 'Size',
        size: 84,
        minSize: 60,
        cell: ({ row }) => (row.original.sample ? `${row.original.sample.width}×${row.original.sample.height}` : ''),
      },
      { id: 'bytes', header: 'Bytes', size: 80, minSize: 56, cell: ({ row }) => (row.original.sample ? formatBytes(row.original.sample.bytes) : '') },
    ],
    [classes],
  );

  // revision forces a rebuild when pages arrive; getRow reads the cache ref.
  const data = useMemo<RowData[]>(
    () => items.map((v) => ({ index: v.index, sample: getRow(v.index) ?? null })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [first, last, revision, getRow],
  );
  const sortColumn = Object.entries(SORT_KEYS).find(([, key]) => key === sort.key)?.[0];
  const sorting: SortingState = sortColumn ? [{ id: sortColumn, desc: sort.desc }] : [];

  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(row.index),
    manualSorting: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    onColumnSizingChange: setColumnSizing,
    enableSortingRemoval: false,
    state: { sorting, columnSizing },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const key = next[0] ? SORT_KEYS[next[0].id] : undefined;
      onSort(key ? { key, desc: next[0].desc } : { key: 'id', desc: false });
    },
  });

  const rows = table.getRowModel().rows;
  // Column widths from the (user-resizable) sizes; the File column also takes any spare width.
  const template = table
    .getVisibleLeafColumns()
    .map((c) => (c.id === 'path' ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`))
    .join(' ');
  const layout = { '--table-columns': template, '--table-width': `${table.getTotalSize()}px` } as CSSProperties;
  return (
    <div className="sample-table" role="grid" aria-rowcount={pages.total} data-testid="sample-table" style={layout}>
      {table.getHeaderGroups().map((group) => (
        <div className="table-row table-head" role="row" key={group.id}>
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted();
            const sortable = header.column.getCanSort();
            return (
              <div
                key={header.id}
                role="columnheader"
                className={`table-cell col-${header.column.id}${sortable ? ' sortable' : ''}`}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                data-testid={`sort-${header.column.id}`}
                onClick={sortable ? header.column.getToggleSortingHandler() : undefined}
              >
                {flexRender(header.column.columnDef.header, header.getContext())}
                {sorted ? <span className="sort-arrow">{sorted === 'asc' ? '▲' : '▼'}</span> : null}
                {header.column.getCanResize() ? (
                  <span
                    className={`col-resizer${header.column.getIsResizing() ? ' resizing' : ''}`}
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={`Resize the ${String(header.column.columnDef.header)} column`}
                    title="Drag to resize; double-click to reset"
                    data-testid={`resize-${header.column.id}`}
                    onMouseDown={header.getResizeHandler()}
                    onTouchStart={header.getResizeHandler()}
                    onDoubleClick={() => header.column.resetSize()}
                    onClick={(e) => e.stopPropagation()}
                  />
                ) : null}
              </div>
            );
          })}
        </div>
      ))}
      <div className="table-body" ref={scrollRef}>
        <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row, i) => {
            const virtual = items[i];
            const sample = row.original.sample;
            if (!virtual) return null;
            const classNames = ['table-row'];
            if (virtual.index === focusIndex) classNames.push('focused');
            if (sample && selected.has(sample.id)) classNames.push('selected');
            if (sample?.status === 'dropped') classNames.push('dropped');
            if (!sample) classNames.push('loading');
            return (
              <div
                key={virtual.key}
                role="row"
                className={classNames.join(' ')}
                style={{ transform: `translateY(${virtual.start}px)`, height: ROW_HEIGHT }}
                data-testid="sample-row"
                data-sample-id={sample?.id}
                data-index={virtual.index}
                aria-selected={sample ? selected.has(sample.id) : false}
                onClick={(event) => sample && onActivate(virtual.index, sample, event)}
              >
                {row.getVisibleCells().map((cell) => (
                  <div
                    key={cell.id}
                    role="gridcell"
                    className={`table-cell col-${cell.column.id}`}
                    data-testid={cell.column.id === 'label' ? 'label-cell' : cell.column.id === 'status' ? 'status-cell' : undefined}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Thumb({ sample }: { sample: Sample | null }) {
  if (!sample) return <div className="thumb thumb-placeholder" />;
  return <img className="thumb" src={mediaUrl('thumb', sample.id)} alt="" loading="lazy" decoding="async" draggable={false} />;
}
