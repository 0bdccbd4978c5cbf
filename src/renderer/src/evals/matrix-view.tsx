/** One prompt × model matrix: rows = prompts, columns = model · mode, four metrics per cell, best cell marked; open a cell's run or compare two cells. */
import { useState } from 'react';
import { bestCell, cellAt, matrixColumns, type EvalBatch, type MatrixCell } from '../../../shared/eval-matrix';
import { plural } from '../lib/format';
import { fixed, ms, pct } from './eval-format';
import { useEvalJobLive } from './use-eval-runs';

interface MatrixViewProps {
  batch: EvalBatch;
  onOpenRun: (runId: number) => void;
  onCompare: (aId: number, bId: number) => void;
  onCancel: () => void;
  onResume: () => void;
}

function CellBody({ cell, best }: { cell: MatrixCell; best: boolean }) {
  const m = cell.metrics;
  return (
    <>
      <span className="pm-acc" data-testid="matrix-cell-accuracy">
        {m ? pct(m.accuracy) : '—'}
        {best ? <span className="pm-best-tag"> ★ best</span> : null}
      </span>
      <span className="pm-sub">bal. acc {m ? fixed(m.balancedAccuracy, 2) : '—'}</span>
      <span className="pm-sub">off-label {m ? pct(m.offLabelRate, 0) : '—'} · p50 {ms(m?.p50Ms)}</span>
      {cell.status !== 'done' ? (
        <span className={`run-status status-${cell.status}`} data-testid="matrix-cell-status">
          {cell.status} {cell.doneCount}/{cell.plannedCount}
        </span>
      ) : null}
    </>
  );
}

export function MatrixView({ batch, onOpenRun, onCompare, onCancel, onResume }: MatrixViewProps) {
  const [picked, setPicked] = useState<number[]>([]);
  const evalJobLive = useEvalJobLive();
  const columns = matrixColumns(batch);
  const best = bestCell(batch.cells);
  const state = batch.status === 'running' && !evalJobLive ? 'interrupted' : batch.status;
  const pick = (runId: number) => setPicked((p) => (p.includes(runId) ? p.filter((x) => x !== runId) : [...p, runId].slice(-2)));
  const n = batch.cells[0]?.plannedCount ?? batch.nSamples ?? 0;

  return (
    <div className="pm-view" data-testid="matrix-view" data-batch-id={batch.id} data-status={state}>
      <section className="panel-card">
        <div className="run-title-row">
          <h2 data-testid="matrix-title">{batch.name}</h2>
          <span className={`run-status status-${state}`} data-testid="matrix-status">
            {state}
          </span>
          <progress max={batch.plannedCount} value={batch.doneCount} data-testid="matrix-progress" />
          <span className="muted small">
            {batch.doneCount} / {batch.plannedCount} samples
          </span>
          {state === 'running' ? (
            <button type="button" data-testid="matrix-cancel" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
          {state === 'cancelled' || state === 'failed' || state === 'interrupted' ? (
            <button type="button" data-testid="matrix-resume" title="Continue every unfinished cell; finished samples are kept" onClick={onResume}>
              Resume
            </button>
          ) : null}
        </div>
        <p className="muted small">
          {plural(batch.prompts.length, 'prompt')} × {plural(batch.models.length, 'model')} × {plural(batch.modes.length, 'mode')}, every cell on the same{' '}
          {n} samples ({batch.split}, seed {batch.seed}). Best cell: highest accuracy, then balanced accuracy, then lower p50 latency.
        </p>
      </section>
      <section className="panel-card">
        <div className="pm-toolbar">
          <span className="muted small">Click a cell to open its run; tick two cells to compare them.</span>
          <button type="button" className="primary" data-testid="matrix-compare" disabled={picked.length !== 2} onClick={() => onCompare(picked[0], picked[1])}>
            Compare picked ({picked.length}/2)
          </button>
        </div>
        <div className="table-scroll">
          <table className="pm-table" data-testid="matrix-table">
            <thead>
              <tr>
                <th className="pm-corner">prompt \ model · mode</th>
                {columns.map((col) => (
                  <th key={`${col.modelIndex}-${col.modeIndex}`} data-testid="matrix-column">
                    {col.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {batch.prompts.map((prompt, promptIndex) => (
                <tr key={prompt.name} data-testid="matrix-row">
                  <th className="pm-row-head" title={`${prompt.systemPrompt}\n---\n${prompt.userPrompt}`}>
                    {prompt.name}
                  </th>
                  {columns.map((col) => {
                    const cell = cellAt(batch, promptIndex, col.modelIndex, col.modeIndex);
                    if (!cell) return <td key={`${col.modelIndex}-${col.modeIndex}`} className="muted">removed</td>;
                    const isBest = best?.runId === cell.runId;
                    return (
                      <td key={cell.runId} className={`pm-cell${isBest ? ' best' : ''}${picked.includes(cell.runId) ? ' picked' : ''}`} data-testid="matrix-cell" data-run-id={cell.runId} data-best={isBest}>
                        <button type="button" className="pm-cell-open" data-testid="matrix-cell-open" title={`Open run #${cell.runId}`} onClick={() => onOpenRun(cell.runId)}>
                          <CellBody cell={cell} best={isBest} />
                        </button>
                        <label className="pm-pick" title="Pick for a pairwise comparison">
                          <input type="checkbox" data-testid="matrix-cell-pick" checked={picked.includes(cell.runId)} onChange={() => pick(cell.runId)} />
                          compare
                        </label>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel-card">
        <h3>Prompts</h3>
        {batch.prompts.map((p) => (
          <details key={p.name} className="run-prompt">
            <summary>{p.name}</summary>
            <pre>{p.systemPrompt || '(no system prompt)'}</pre>
            <pre>{p.userPrompt}</pre>
          </details>
        ))}
      </section>
    </div>
  );
}
