/** Filter row: label multi-select, split, status, text search, the shown count and the selection's bulk actions. */
import { forwardRef, useEffect, useState } from 'react';
import type { ClassInfo, SampleStatus, Split } from '../../../shared/domain';
import type { ViewFilter } from '../lib/view-filter';
import { LabelFilter } from './label-filter';

interface FilterBarProps {
  classes: ClassInfo[];
  filter: ViewFilter;
  onFilter: (filter: ViewFilter) => void;
  total: number;
  selectedCount: number;
  onDrop: () => void;
  onRestore: () => void;
  onClearSelection: () => void;
}

export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(function FilterBar(props, searchRef) {
  const { filter, onFilter } = props;
  const [text, setText] = useState(filter.text);

  useEffect(() => setText(filter.text), [filter.text]);
  useEffect(() => {
    if (text === filter.text) return;
    const timer = setTimeout(() => onFilter({ ...filter, text }), 250);
    return () => clearTimeout(timer);
  }, [text, filter, onFilter]);

  const split = filter.splits.length === 1 ? filter.splits[0] : 'any';
  return (
    <div className="toolbar">
      <div className="toolbar-group filters">
        <LabelFilter classes={props.classes} value={filter.classIds} onChange={(classIds) => onFilter({ ...filter, classIds })} />
        <select
          data-testid="filter-split"
          value={split}
          aria-label="Split filter"
          onChange={(e) => {
            e.target.blur(); // hand the keyboard back to the sample view
            onFilter({ ...filter, splits: e.target.value === 'any' ? [] : [e.target.value as Split | 'none'] });
          }}
        >
          <option value="any">All splits</option>
          <option value="train">train</option>
          <option value="val">val</option>
          <option value="test">test</option>
          <option value="none">no split</option>
        </select>
        <select
          data-testid="filter-status"
          value={filter.status}
          aria-label="Status filter"
          onChange={(e) => {
            e.target.blur();
            onFilter({ ...filter, status: e.target.value as SampleStatus | 'all' });
          }}
        >
          <option value="active">Active</option>
          <option value="dropped">Dropped</option>
          <option value="all">All statuses</option>
        </select>
        <input
          ref={searchRef}
          type="search"
          className="search"
          placeholder="Search path, label, notes…  (/)"
          data-testid="filter-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === 'Escape') {
              e.preventDefault(); // handled here: the key layers leave it alone
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
        {filter.finderRunId ? (
          <span className="filter-chip" data-testid="filter-finder-run" data-run-id={filter.finderRunId}>
            Suspects of finder run #{filter.finderRunId} · rank order
            <button type="button" className="small link" aria-label="Clear the finder run filter" data-testid="filter-finder-run-clear" onClick={() => onFilter({ ...filter, finderRunId: null })}>
              ✕
            </button>
          </span>
        ) : null}
        <span className="count-pill" data-testid="view-count">
          {props.total.toLocaleString()} shown
        </span>
      </div>
      <div className="toolbar-group">
        {props.selectedCount > 0 ? (
          <span className="selection-actions" data-testid="selection-actions">
            <strong>{props.selectedCount} selected</strong>
            <button type="button" className="small" onClick={props.onDrop} data-testid="bulk-drop">
              Drop…
            </button>
            <button type="button" className="small" onClick={props.onRestore} data-testid="bulk-restore">
              Restore
            </button>
            <button type="button" className="small link" onClick={props.onClearSelection}>
              Clear
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
});
