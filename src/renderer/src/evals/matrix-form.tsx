/** New matrix: one snapshot/split/seed/sample count, several prompts × VLMs × modes; Start queues one eval per cell. */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { EVAL_SPLITS, type EvalSplit } from '../../../shared/eval-types';
import { MATRIX_MODES, type EvalBatch, type MatrixMode } from '../../../shared/eval-matrix';
import { queryKeys } from '../data/query-keys';
import { useModels } from '../models/use-models';
import { usePromptVersions } from '../prompts/use-prompts';
import { useDraft } from '../state/drafts';
import { useStudio } from '../state/studio-context';
import { plural } from '../lib/format';
import { modeLabel, pct } from './eval-format';
import { matrixPromptOptions } from './matrix-prompt-options';
import { useSnapshots } from './use-robustness';

interface MatrixChoices {
  name: string;
  versionId: number | null;
  split: EvalSplit;
  seed: string;
  nSamples: string;
  promptKeys: string[];
  modelIds: number[];
  modes: MatrixMode[];
}

const INITIAL: MatrixChoices = { name: '', versionId: null, split: 'test', seed: '23', nSamples: '20', promptKeys: ['default'], modelIds: [], modes: ['constrained'] };

const toggle = <T,>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

interface MatrixFormProps {
  datasetId: number;
  onStarted: (batch: EvalBatch) => void;
}

export function MatrixForm({ datasetId, onStarted }: MatrixFormProps) {
  const { api, reportError } = useStudio();
  const [c, set, discard] = useDraft<MatrixChoices>(`matrix:${datasetId}`, INITIAL);
  const [busy, setBusy] = useState(false);
  const snapshots = useSnapshots(datasetId);
  const versions = useMemo(() => [...(snapshots ?? [])].reverse(), [snapshots]);
  const { models } = useModels();
  const vlms = models.filter((m) => m.kind === 'vlm');
  const history = useQuery({ queryKey: queryKeys.prompts(datasetId), queryFn: () => api.evals.prompts({ datasetId }), meta: { errorContext: 'Loading prompt history' } }).data;
  const promptVersions = usePromptVersions();
  const options = useMemo(() => matrixPromptOptions(history ?? [], promptVersions), [history, promptVersions]);

  const newest = versions[0];
  useEffect(() => {
    if (c.versionId === null && newest) set({ versionId: newest.id, split: newest.splitCounts.test > 0 ? 'test' : 'all' });
  }, [newest, c.versionId, set]);

  const version = versions.find((v) => v.id === c.versionId);
  const splitCount = version ? (c.split === 'all' ? version.sampleCount : version.splitCounts[c.split]) : 0;
  const seed = Number(c.seed);
  const n = c.nSamples.trim() === '' ? null : Number(c.nSamples);
  const seedOk = Number.isInteger(seed) && seed >= 0;
  const nOk = n === null || (Number.isInteger(n) && n > 0 && n <= splitCount);
  const prompts = options.filter((o) => c.promptKeys.includes(o.key));
  const modelIds = c.modelIds.filter((id) => vlms.some((m) => m.id === id));
  const cells = prompts.length * modelIds.length * c.modes.length;
  const valid = version !== undefined && splitCount > 0 && seedOk && nOk && cells > 0;
  const suggestedName = version ? `${plural(prompts.length, 'prompt')} × ${plural(modelIds.length, 'model')} · ${version.name}/${c.split}` : '';

  const start = async () => {
    if (!valid || busy || !version) return;
    setBusy(true);
    try {
      const { batch } = await api.batches.create({
        name: c.name.trim() || suggestedName,
        versionId: version.id,
        split: c.split,
        seed,
        nSamples: n,
        prompts: prompts.map((o) => o.prompt),
        modelIds,
        modes: c.modes,
      });
      discard();
      onStarted(batch);
    } catch (error) {
      reportError('Starting the matrix', error);
      setBusy(false);
    }
  };

  return (
    <form className="pm-form" data-testid="matrix-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
      <section className="panel-card form">
        <h3>Samples (shared by every cell)</h3>
        <label>
          Name
          <input data-testid="matrix-name" placeholder={suggestedName} value={c.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <div className="form-row">
          <label>
            Dataset version
            <select data-testid="matrix-version" value={c.versionId ?? ''} onChange={(e) => set({ versionId: Number(e.target.value) })}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>{v.name} ({v.sampleCount} samples)</option>
              ))}
            </select>
          </label>
          <label>
            Split
            <select data-testid="matrix-split" value={c.split} onChange={(e) => set({ split: e.target.value as EvalSplit })}>
              {EVAL_SPLITS.map((sp) => (
                <option key={sp} value={sp}>{sp} ({version ? (sp === 'all' ? version.sampleCount : version.splitCounts[sp]) : 0})</option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <label>
            Seed
            <input type="number" min={0} data-testid="matrix-seed" value={c.seed} onChange={(e) => set({ seed: e.target.value })} />
            {!seedOk ? <span className="form-error">A whole number ≥ 0.</span> : null}
          </label>
          <label>
            Samples
            <input type="number" min={1} placeholder={`all ${splitCount}`} data-testid="matrix-n" value={c.nSamples} onChange={(e) => set({ nSamples: e.target.value })} />
            {!nOk ? <span className="form-error">Blank for all, or 1–{splitCount}.</span> : <span className="hint">Every cell evaluates the same seeded draw.</span>}
          </label>
        </div>
      </section>
      <section className="panel-card form">
        <h3>Rows: prompts</h3>
        <ul className="pm-pick-list" data-testid="matrix-prompts">
          {options.map((o) => (
            <li key={o.key}>
              <label className="checkbox" title={`${o.systemPrompt}\n---\n${o.userPrompt}`}>
                <input
                  type="checkbox"
                  data-testid="matrix-prompt-option"
                  data-prompt-name={o.name}
                  checked={c.promptKeys.includes(o.key)}
                  onChange={() => set({ promptKeys: toggle(c.promptKeys, o.key) })}
                />
                <span className="pm-prompt-name">{o.name}</span>
                {o.saved ? <span className="pm-saved-tag" data-testid="matrix-prompt-saved">saved</span> : null}
                <span className="muted small">{o.runs > 0 ? `${plural(o.runs, 'run')} · best ${pct(o.bestAccuracy)}` : o.saved ? 'no runs here yet' : 'studio default'}</span>
              </label>
            </li>
          ))}
        </ul>
        <p className="hint">Saved prompt versions (Prompts screen) come first, then the studio default and this dataset's prompt history.</p>
      </section>
      <section className="panel-card form">
        <h3>Columns: models × modes</h3>
        <ul className="pm-pick-list" data-testid="matrix-models">
          {vlms.map((m) => (
            <li key={m.id}>
              <label className="checkbox">
                <input type="checkbox" data-testid="matrix-model-option" data-model-name={m.name} checked={c.modelIds.includes(m.id)} onChange={() => set({ modelIds: toggle(c.modelIds, m.id) })} />
                <span>{m.name}</span>
                <span className="muted small">{m.architecture ?? 'vlm'} · {m.defaultDtype}</span>
              </label>
            </li>
          ))}
          {vlms.length === 0 ? <li className="muted small">No vision-language model registered yet (Models → Add local model).</li> : null}
        </ul>
        <div className="pm-modes">
          {MATRIX_MODES.map((mode) => (
            <label key={mode} className="checkbox">
              <input type="checkbox" data-testid={`matrix-mode-${mode}`} checked={c.modes.includes(mode)} onChange={() => set({ modes: toggle(c.modes, mode) })} />
              {modeLabel(mode)}
            </label>
          ))}
        </div>
      </section>
      <footer className="new-eval-foot">
        <span className="muted" data-testid="matrix-cell-count">
          {plural(prompts.length, 'prompt')} × {plural(modelIds.length, 'model')} × {plural(c.modes.length, 'mode')} = {plural(cells, 'run')} of {n ?? splitCount} samples
        </span>
        <button type="submit" className="primary" disabled={!valid || busy} data-testid="matrix-start">
          {busy ? 'Starting…' : 'Start matrix'}
        </button>
      </footer>
    </form>
  );
}
