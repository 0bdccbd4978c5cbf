/** Per-class precision / recall / F1 / support (sortable by any column), with macro and weighted averages. */
import { useState } from 'react';
import type { ClassMetrics, EvalMetrics } from '../../../shared/metrics-types';
import { pct } from './eval-format';

type Key = 'label' | 'precision' | 'recall' | 'f1' | 'support' | 'predicted';
const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: 'label', label: 'Class', numeric: false },
  { key: 'precision', label: 'Precision', numeric: true },
  { key: 'recall', label: 'Recall', numeric: true },
  { key: 'f1', label: 'F1', numeric: true },
  { key: 'support', label: 'Support', numeric: true },
  { key: 'predicted', label: 'Predicted', numeric: true },
];

function compare(a: ClassMetrics, b: ClassMetrics, key: Key): number {
  if (key === 'label') return a.label.localeCompare(b.label);
  return a[key] - b[key];
}

export function PerClassTable({ metrics }: { metrics: EvalMetrics }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean } | null>(null);
  const rows = sort ? [...metrics.perClass].sort((a, b) => (sort.desc ? -1 : 1) * compare(a, b, sort.key)) : metrics.perClass;
  const toggle = (key: Key) => setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'label' }));
  return (
    <table className="plain-table per-class" data-testid="per-class-table">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.key} className={c.numeric ? 'num' : ''} aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="th-sort" data-testid={`per-class-sort-${c.key}`} onClick={() => toggle(c.key)}>
                {c.label}
                {sort?.key === c.key ? <span className="sort-arrow">{sort.desc ? '▼' : '▲'}</span> : null}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} data-testid="per-class-row" data-label={r.label}>
            <td>{r.label}</td>
            <td className="num">{pct(r.precision)}</td>
            <td className="num">{pct(r.recall)}</td>
            <td className="num">{pct(r.f1)}</td>
            <td className="num">{r.support}</td>
            <td className="num">{r.predicted}</td>
          </tr>
        ))}
        <tr className="total-row">
          <td>Macro avg</td>
          <td className="num">{pct(metrics.macro.precision)}</td>
          <td className="num">{pct(metrics.macro.recall)}</td>
          <td className="num">{pct(metrics.macro.f1)}</td>
          <td className="num">{metrics.n}</td>
          <td />
        </tr>
        <tr className="avg-row">
          <td>Weighted avg</td>
          <td className="num">{pct(metrics.weighted.precision)}</td>
          <td className="num">{pct(metrics.weighted.recall)}</td>
          <td className="num">{pct(metrics.weighted.f1)}</td>
          <td className="num">{metrics.n}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}
