/** Multi-select label filter (checkbox dropdown) including the special "unlabelled" bucket. */
import { useEffect, useRef, useState } from 'react';
import type { ClassInfo } from '../../../shared/domain';
import { UNLABELLED } from '../lib/view-filter';

interface LabelFilterProps {
  classes: ClassInfo[];
  value: number[];
  onChange: (classIds: number[]) => void;
}

export function LabelFilter({ classes, value, onChange }: LabelFilterProps) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);

  const options = [...classes.map((c) => ({ id: c.id, name: c.name })), { id: UNLABELLED, name: 'unlabelled' }];
  const names = options.filter((o) => value.includes(o.id)).map((o) => o.name);
  const summary = names.length === 0 ? 'All labels' : names.length <= 2 ? names.join(', ') : `${names.length} labels`;
  const toggle = (id: number) => onChange(value.includes(id) ? value.filter((v) => v !== id) : [...value, id]);

  return (
    <div className="dropdown" ref={ref}>
      <button
        type="button"
        className={`dropdown-button${value.length > 0 ? ' filtering' : ''}`}
        data-testid="filter-label"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {summary} ▾
      </button>
      {open ? (
        <div className="dropdown-menu" role="listbox" aria-multiselectable>
          {options.map((o) => (
            <label key={o.id} className="dropdown-option" data-testid="filter-label-option" data-class-name={o.name}>
              <input type="checkbox" checked={value.includes(o.id)} onChange={() => toggle(o.id)} />
              {o.name}
            </label>
          ))}
          <div className="dropdown-footer">
            <button type="button" className="link small" onClick={() => onChange([])}>
              Clear
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
