/** The classifier's own labels with search ("terrier", "151-268", "#42"), multi-select, and each label's current target. */
import { classColor } from '../lib/class-color';

interface ModelLabelListProps {
  labels: string[];
  /** Indices matching the search, in index order. */
  shown: number[];
  query: string;
  onQuery: (query: string) => void;
  selected: ReadonlySet<number>;
  onSelected: (next: Set<number>) => void;
  assign: readonly (string | null)[];
  targets: string[];
  rest: string | null;
}

export function ModelLabelList({ labels, shown, query, onQuery, selected, onSelected, assign, targets, rest }: ModelLabelListProps) {
  const toggle = (i: number) => {
    const next = new Set(selected);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    onSelected(next);
  };
  const allShownSelected = shown.length > 0 && shown.every((i) => selected.has(i));
  return (
    <section className="mapping-labels" data-testid="mapping-labels">
      <div className="mapping-search-row">
        <input
          type="search"
          data-testid="mapping-search"
          placeholder='Search labels: "terrier", or an index range "151-268"'
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
        <span className="muted small" data-testid="mapping-shown-count">
          {shown.length} of {labels.length}
        </span>
      </div>
      <div className="mapping-select-row">
        <button
          type="button"
          className="small"
          data-testid="mapping-select-shown"
          disabled={shown.length === 0}
          onClick={() => onSelected(allShownSelected ? new Set([...selected].filter((i) => !shown.includes(i))) : new Set([...selected, ...shown]))}
        >
          {allShownSelected ? 'Unselect shown' : `Select shown (${shown.length})`}
        </button>
        <button type="button" className="small" data-testid="mapping-select-clear" disabled={selected.size === 0} onClick={() => onSelected(new Set())}>
          Clear selection
        </button>
        <span className="muted small" data-testid="mapping-selected-count">
          {selected.size} selected
        </span>
      </div>
      <ul className="mapping-label-list" role="listbox" aria-multiselectable="true">
        {shown.map((i) => {
          const target = assign[i];
          const color = target === null ? undefined : classColor(Math.max(0, targets.indexOf(target)));
          return (
            <li key={i} role="option" aria-selected={selected.has(i)} className={selected.has(i) ? 'picked' : ''} data-testid="mapping-label-row" data-index={i}>
              <label>
                <input type="checkbox" checked={selected.has(i)} onChange={() => toggle(i)} />
                <span className="mono muted mapping-index">{i}</span>
                <span className="mapping-label-name">{labels[i]}</span>
              </label>
              {target !== null ? (
                <span className="mapping-target-tag" style={{ borderColor: color, color }}>
                  → {target}
                </span>
              ) : rest ? (
                <span className="mapping-target-tag rest">→ {rest} (rest)</span>
              ) : (
                <span className="mapping-target-tag none">left out</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
