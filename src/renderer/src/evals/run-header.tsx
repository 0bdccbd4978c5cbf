/** Dashboard header: the run's name, status and every parameter it ran with (prompt text collapsible), plus actions. */
import type { EvalDevice, EvalRun } from '../../../shared/eval-types';
import { formatDate } from '../lib/format';
import { runModeLabel } from './cascade-format';
import { RunStatus } from './run-status';

interface RunHeaderProps {
  run: EvalRun;
  evalJobLive: boolean;
  onBack: () => void;
  onResume: (run: EvalRun, device?: EvalDevice) => void;
  onExport: (run: EvalRun) => void;
  onRerun?: (run: EvalRun) => void;
  /** A matrix cell's run: back to its matrix. */
  onOpenMatrix?: (batchId: number) => void;
}

export function RunHeader({ run, evalJobLive, onBack, onResume, onExport, onRerun, onOpenMatrix }: RunHeaderProps) {
  const facts: [string, string][] = [
    ['Model', run.config.modelName],
    ['Mode', runModeLabel(run)],
    ['Version', run.config.versionName],
    ['Split', run.split],
    ['Seed', String(run.seed)],
    ['Samples', run.nSamples === null ? `all (${run.plannedCount})` : String(run.nSamples)],
    ['Device', run.device],
    ['Dtype', run.dtype ?? '—'],
  ];
  if (run.promptVersionName) facts.push(['Prompt', run.promptVersionName]);
  if (run.mode === 'classifier') facts.push(['Class mapping', run.classMapping ?? 'none']);
  return (
    <header className="panel-card run-header" data-testid="run-header">
      <div className="run-title-row">
        <button type="button" className="link small" data-testid="runs-back" onClick={onBack}>
          ← All runs
        </button>
        {run.batchId !== null && onOpenMatrix ? (
          <button type="button" className="link small" data-testid="run-matrix-back" title={`This run is a cell of matrix ${run.batchId}`} onClick={() => onOpenMatrix(run.batchId as number)}>
            ← Matrix
          </button>
        ) : null}
        <h1 data-testid="run-title">{run.name}</h1>
        <RunStatus run={run} evalJobLive={evalJobLive} onResume={onResume} />
        <span className="spacer" />
        <span className="muted small">
          created {formatDate(run.createdAt)}
          {run.finishedAt ? ` · finished ${formatDate(run.finishedAt)}` : ''}
        </span>
        {onRerun ? (
          <button type="button" className="small" data-testid="run-rerun" title="Open New eval with this run's configuration" onClick={() => onRerun(run)}>
            Rerun with changes…
          </button>
        ) : null}
        <button type="button" className="small" data-testid="run-export-open" onClick={() => onExport(run)}>
          Export…
        </button>
      </div>
      <dl className="run-facts" data-testid="run-facts">
        {facts.map(([k, v]) => (
          <div key={k} data-fact={k}>
            <dt>{k}</dt>
            <dd title={k === 'Model' ? run.config.modelPath : undefined}>{v}</dd>
          </div>
        ))}
      </dl>
      {run.mode !== 'classifier' ? (
        <details className="run-prompt" data-testid="run-prompt">
          <summary>Prompt</summary>
          <div className="run-prompt-body">
            <div className="muted small">System</div>
            <pre>{run.systemPrompt}</pre>
            <div className="muted small">User</div>
            <pre>{run.userPrompt}</pre>
          </div>
        </details>
      ) : null}
      {run.status === 'failed' && run.error ? <p className="form-error">{run.error}</p> : null}
    </header>
  );
}
