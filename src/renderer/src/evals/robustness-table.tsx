/** One template run's robustness table: corruption rows × severity columns of accuracy, beside the clean accuracy. */
import { CORRUPTIONS, CORRUPTION_LABELS, type DerivedVersion, type RobustnessCell, type RobustnessRow } from '../../../shared/robustness-types';
import { deltaPp, pct } from './eval-format';

export interface RobustnessTableProps {
  row: RobustnessRow;
  templateName: string;
  derived: DerivedVersion[];
  onOpenRun: (runId: number) => void;
}

function CellView({ cell, clean, onOpenRun }: { cell: RobustnessCell | undefined; clean: number | null; onOpenRun: (runId: number) => void }) {
  if (cell === undefined) return <span className="muted">—</span>;
  const text = cell.accuracy !== null ? pct(cell.accuracy) : cell.status === 'done' ? '—' : `${cell.status} ${cell.doneCount}/${cell.plannedCount}`;
  return (
    <button type="button" className="link" data-testid="robustness-cell-open" onClick={() => onOpenRun(cell.runId)}>
      <span className="strong">{text}</span>
      {cell.accuracy !== null && clean !== null ? <span className="muted small robustness-delta">{deltaPp(clean, cell.accuracy)}</span> : null}
    </button>
  );
}

export function RobustnessTable({ row, templateName, derived, onOpenRun }: RobustnessTableProps) {
  const severities = Math.max(0, ...derived.map((d) => d.severity));
  const clean = row.clean.accuracy;
  return (
    <section className="panel-card robustness-card" data-testid="robustness-table" data-template-run-id={row.templateRunId}>
      <h3>
        {row.title} <span className="muted small">— template run “{templateName}”</span>
      </h3>
      <table className="plain-table robustness-grid">
        <thead>
          <tr>
            <th>Corruption</th>
            <th className="num">Clean</th>
            {Array.from({ length: severities }, (_, i) => (
              <th key={i} className="num">
                Severity {i + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {CORRUPTIONS.filter((c) => derived.some((d) => d.corruption === c)).map((corruption) => (
            <tr key={corruption} data-testid="robustness-row" data-corruption={corruption}>
              <td className="strong">{corruption}</td>
              <td className="num" data-testid="robustness-clean">
                <CellView cell={row.clean} clean={null} onOpenRun={onOpenRun} />
              </td>
              {Array.from({ length: severities }, (_, i) => {
                const d = derived.find((x) => x.corruption === corruption && x.severity === i + 1);
                return (
                  <td key={i} className="num" data-testid="robustness-cell" data-severity={i + 1} data-accuracy={d ? (row.cells[d.versionId]?.accuracy ?? '') : ''}>
                    {d ? <div className="muted small">{CORRUPTION_LABELS[d.corruption](d.param)}</div> : null}
                    {d ? <CellView cell={row.cells[d.versionId]} clean={clean} onOpenRun={onOpenRun} /> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
