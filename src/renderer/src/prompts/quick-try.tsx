/** Quick try: runs the form's draft prompt on a few samples (seeded, picked by hand, or the last run's mistakes) as a short job and shows the answers inline. */
import { useState } from 'react';
import type { EvalDevice, EvalMode, EvalRun, EvalSplit } from '../../../shared/eval-types';
import { PROMPT_TRY_MAX_SAMPLES, type PromptTryOutput } from '../../../shared/prompt-try';
import { mediaUrl } from '../api';
import { useJobList, useJobs } from '../state/use-jobs';
import { useStudio } from '../state/studio-context';
import { QuickTryPicker } from './quick-try-picker';

interface QuickTryProps {
  /** The dataset snapshot the samples come from. */
  versionId: number;
  modelId: number;
  mode: Exclude<EvalMode, 'classifier'>;
  device: EvalDevice;
  dtype: string | null;
  split: EvalSplit;
  seed: number;
  systemPrompt: string;
  userPrompt: string;
  /** The newest finished run on this snapshot with mistakes (offered as "its mistakes"). */
  mistakesRun: EvalRun | null;
}

type TrySource = 'sample' | 'picked' | 'mistakes';

export function QuickTry(p: QuickTryProps) {
  const { api, reportError } = useStudio();
  const { track, cancel } = useJobs();
  const jobs = useJobList();
  const [count, setCount] = useState('6');
  const [source, setSource] = useState<TrySource>('sample');
  // Picks belong to one snapshot split: switching either starts a fresh pick.
  const pickScope = `${p.versionId}:${p.split}`;
  const [picks, setPicks] = useState<{ scope: string; ids: number[] }>({ scope: pickScope, ids: [] });
  const picked = picks.scope === pickScope ? picks.ids : [];
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const job = jobs.find((j) => j.id === jobId);
  const live = job !== undefined && (job.status === 'queued' || job.status === 'running');
  const n = Number(count);
  const nOk = source === 'picked' ? picked.length > 0 : Number.isInteger(n) && n >= 1 && n <= PROMPT_TRY_MAX_SAMPLES;
  const outputs: PromptTryOutput[] = job?.kind === 'prompt-try' && job.result ? job.result.outputs : [];

  const start = async () => {
    setStartError(null);
    try {
      const { jobId: id } = await api.prompts.tryStart({
        versionId: p.versionId,
        modelId: p.modelId,
        mode: p.mode,
        device: p.device,
        dtype: p.dtype,
        systemPrompt: p.systemPrompt,
        userPrompt: p.userPrompt,
        source:
          source === 'picked'
            ? { kind: 'ids', sampleIds: picked }
            : source === 'mistakes' && p.mistakesRun
              ? { kind: 'mistakes', runId: p.mistakesRun.id, count: n }
              : { kind: 'sample', split: p.split, seed: p.seed, count: n },
      });
      track(id, 'prompt-try');
      setJobId(id);
    } catch (error) {
      setStartError(error instanceof Error ? error.message : String(error));
      reportError('Starting the quick try', error);
    }
  };

  return (
    <div className="quick-try" data-testid="quick-try">
      <div className="quick-try-controls">
        <strong>Quick try</strong>
        <span className="muted small">this draft, no run is saved:</span>
        {source === 'picked' ? null : (
          <input type="number" min={1} max={PROMPT_TRY_MAX_SAMPLES} data-testid="quick-try-count" value={count} onChange={(e) => setCount(e.target.value)} aria-label="Samples to try" />
        )}
        <select data-testid="quick-try-source" value={source} onChange={(e) => setSource(e.target.value as TrySource)}>
          <option value="sample">samples of the {p.split} split (seed {p.seed})</option>
          <option value="picked">samples I pick</option>
          <option value="mistakes" disabled={!p.mistakesRun}>
            {p.mistakesRun ? `mistakes of “${p.mistakesRun.name}”` : 'mistakes of the last run (none yet)'}
          </option>
        </select>
        {live ? (
          <button type="button" className="small" data-testid="quick-try-cancel" onClick={() => jobId && void cancel(jobId)}>
            Cancel
          </button>
        ) : (
          <button type="button" className="small" disabled={!nOk || p.userPrompt.trim() === ''} data-testid="quick-try-run" onClick={() => void start()}>
            Try it
          </button>
        )}
        <span className="muted small" data-testid="quick-try-status">
          {live ? job.message || 'Starting…' : job?.status === 'cancelled' ? 'Cancelled.' : job?.status === 'done' && job.kind === 'prompt-try' && job.result ? `${outputs.filter((o) => o.prediction === o.truth).length}/${outputs.length} right · model loaded in ${(job.result.loadMs / 1000).toFixed(1)} s` : ''}
        </span>
      </div>
      {source === 'picked' ? <QuickTryPicker versionId={p.versionId} split={p.split} picked={picked} onChange={(ids) => setPicks({ scope: pickScope, ids })} /> : null}
      {startError ? <p className="form-error">{startError}</p> : null}
      {job?.status === 'failed' ? (
        <p className="form-error" data-testid="quick-try-error">
          Quick try failed: {job.error}
        </p>
      ) : null}
      {outputs.length > 0 ? (
        <div className="quick-try-results" data-testid="quick-try-results">
          {outputs.map((o) => (
            <div key={o.sampleId} className={`try-tile ${o.error ? 'wrong' : o.prediction === o.truth ? 'right' : 'wrong'}`} data-testid="quick-try-output" data-sample-id={o.sampleId} data-correct={!o.error && o.prediction === o.truth}>
              <img src={mediaUrl('thumb', o.sampleId, p.versionId)} alt={o.originalPath} />
              <div>
                <div>
                  truth <strong>{o.truth}</strong>
                </div>
                <div>
                  answer <strong>{o.prediction ?? 'off-label'}</strong>
                  {o.confidence !== null ? <span className="muted"> {(o.confidence * 100).toFixed(0)}%</span> : null}
                </div>
                {o.error ? <div className="form-error">{o.error}</div> : <div className="try-raw" title={o.rawOutput ?? ''}>“{o.rawOutput}” · {Math.round(o.latencyMs ?? 0)} ms</div>}
              </div>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
