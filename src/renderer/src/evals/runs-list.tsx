/** The current dataset's eval runs: key metrics per run (matrix cells link to their matrix), Resume, Export…, Delete…, and pick two to Compare. */
import { useState } from 'react';
import type { EvalDevice, EvalRun } from '../../../shared/eval-types';
import { formatDate } from '../lib/format';
import { runModeLabel } from './cascade-format';
import { fixed, ms, pct } from './eval-format';
import { PartialTag } from './partial-tag';
import { RunStatus } from './run-status';

interface RunsListProps {
  runs: EvalRun[];
  evalJobLive: boolean;
  onOpen: (run: EvalRun) => void;
  onCompare: (a: EvalRun, b: EvalRun) => void;
  onResume: (run: EvalRun, device?: EvalDevice) => void;
  onExport: (run: EvalRun) => void;
  onDelete: (run: EvalRun) => void;
  /** Opens the matrix a cell's run belongs to. */
  onOpenMatrix?: (batchId: number) => void;
}

export function RunsList({ runs, evalJobLive, onOpen, onCompare, onResume, onExport, onDelete, onOpenMatrix }: RunsListProps) {
  const [picked, setPicked] = useState<number[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [promptFilter, setPromptFilter] = useState<number | null>(null);
  const promptVersions = distinctPromptVersions(runs);
  const shown = promptFilter === null ? runs : runs.filter((r) => r.promptVersionId === promptFilter);
  const chosen = picked.map((id) => runs.find((r) => r.id === id)).filter((r): r is EvalRun => r !== undefined);
  const toggle = (id: number) => setPicked((prev) => (prev.includes(id) ? prev.filter((p) => p !== id) : [...prev.slice(-1), id]));

  return (
    <section className="panel-card runs-card">
      <div className="runs-toolbar">
        <label className="runs-prompt-filter">
          Prompt
          <select data-testid="runs-prompt-filter" value={promptFilter ?? ''} onChange={(e) => setPromptFilter(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">all versions</option>
            {promptVersions.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">{chosen.length === 2 ? 'Two runs picked' : 'Tick two runs to compare them'}</span>
        <button
          type="button"
          className="small"
          disabled={chosen.length !== 2}
          data-testid="runs-compare"
          onClick={() => chosen.length === 2 && onCompare(chosen[0], chosen[1])}
        >
          Compare
        </button>
      </div>
      <div className="table-scroll">
        <table className="plain-table runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th aria-label="Pick for comparison" />
              <th>Run</th>
              <th>Model</th>
              <th title="Mode, and the prompt version a VLM run used">Mode</th>
              <th>Version / split</th>
              <th className="num">n</th>
              <th>Status</th>
              <th className="num">Accuracy</th>
              <th className="num">Bal. acc.</th>
              <th className="num">Off-label</th>
              <th className="num">ECE</th>
              <th className="num">p50</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((run) => {
              const m = run.metrics;
              return (
                <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-run-name={run.name} className={picked.includes(run.id) ? 'picked' : ''}>
                  <td>
                    <input type="checkbox" aria-label={`Pick ${run.name}`} data-testid="run-pick" checked={picked.includes(run.id)} onChange={() => toggle(run.id)} />
                  </td>
                  <td>
                    <button type="button" className="link run-name" data-testid="run-open" onClick={() => onOpen(run)}>
                      {run.name}
                    </button>
                    <div className="muted small">
                      {formatDate(run.createdAt)}
                      {run.batchId !== null && onOpenMatrix ? (
                        <>
                          {' · '}
                          <button type="button" className="link run-matrix-link" data-testid="run-matrix" title="This run is a cell of a prompt × model matrix" onClick={() => onOpenMatrix(run.batchId as number)}>
                            matrix {run.batchId}
                          </button>
                        </>
                      ) : null}
                    </div>
                  </td>
                  <td className="ellipsis" title={run.config.modelPath}>
                    {run.config.modelName}
                  </td>
                  <td>
                    {runModeLabel(run)}
                    {run.promptVersionName !== null ? (
                      <div className="muted small run-prompt-version" data-testid="run-prompt-version" title="Prompt version">
                        {run.promptVersionName}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {run.config.versionName} · {run.split}
                  </td>
                  <td className="num">{(m?.n ?? run.plannedCount).toLocaleString()}</td>
                  <td>
                    <RunStatus run={run} evalJobLive={evalJobLive} onResume={onResume} />
                    <PartialTag metrics={m} testId="run-partial" />
                  </td>
                  <td className="num strong" data-testid="run-accuracy">
                    {pct(m?.accuracy)}
                  </td>
                  <td className="num">{pct(m?.balancedAccuracy)}</td>
                  <td className="num">{pct(m?.offLabelRate)}</td>
                  <td className="num">{fixed(m?.calibration?.ece)}</td>
                  <td className="num">{ms(m?.latency?.p50Ms)}</td>
                  <td>
                    {confirming === run.id ? (
                      <span className="row-actions">
                        <button type="button" className="small danger" data-testid="run-delete-confirm" onClick={() => onDelete(run)}>
                          Delete
                        </button>
                        <button type="button" className="small" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <span className="row-actions stacked">
                        <button type="button" className="small" data-testid="run-export" onClick={() => onExport(run)}>
                          Export…
                        </button>
                        <button type="button" className="small" data-testid="run-delete" onClick={() => setConfirming(run.id)}>
                          Delete…
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The prompt versions the runs used (id, "name vN"), by name: the filter's options. */
function distinctPromptVersions(runs: readonly EvalRun[]): [number, string][] {
  const seen = new Map<number, string>();
  for (const r of runs) if (r.promptVersionId !== null && r.promptVersionName !== null) seen.set(r.promptVersionId, r.promptVersionName);
  return [...seen].sort((a, b) => a[1].localeCompare(b[1], undefined, { numeric: true }));
}
