/** New eval: version + split, model, mode, class mapping, device, dtype, seed, sample count and the prompt; Start runs it as a job. */
import { PROVIDER_STATE_LABELS } from '../../../shared/runtime-types';
import { useState } from 'react';
import { EVAL_MODES, EVAL_SPLITS, type EvalDevice, type EvalRun, type EvalSplit } from '../../../shared/eval-types';
import { useStudio } from '../state/studio-context';
import { CandidateLabelsField, candidateChoice } from './candidate-labels-field';
import { CascadeOptions, cascadeRequest, NO_CASCADE, startStage2Alone, type CascadeChoice } from './cascade-options';
import { useRerunCascade } from './cascade-rerun';
import { modeExplanation, modeLabel } from './eval-format';
import { NewEvalEmpty } from './new-eval-empty';
import { PromptEditor } from './prompt-editor';
import { choicesToSettings, modeAllowed, useNewEval } from './use-new-eval';
import { ClassMappingPicker } from '../class-mappings/class-mapping-picker';
import { EvalPromptExtras, PromptVersionPicker, promptRequest } from '../prompts/eval-prompt-extras';

interface NewEvalFormProps {
  datasetId: number;
  /** "Rerun with changes": prefill from this run. */
  fromRunId?: number;
  onCancel: () => void;
  onStarted: (run: EvalRun, jobId: string) => void;
  onGoModels: () => void;
  onGoData: () => void;
}

export function NewEvalForm({ datasetId, fromRunId, onCancel, onStarted, onGoModels, onGoData }: NewEvalFormProps) {
  const { api, reportError } = useStudio();
  const s = useNewEval(datasetId, fromRunId);
  const { choices: c, set, version, model } = s;
  const [busy, setBusy] = useState(false);
  const [cascade, setCascade] = useState<CascadeChoice>(NO_CASCADE);
  useRerunCascade(fromRunId, setCascade);
  const cascadeFields = cascadeRequest(cascade, model, c.mode);
  const seed = Number(c.seed);
  const n = c.nSamples.trim() === '' ? null : Number(c.nSamples);
  const seedOk = Number.isInteger(seed) && seed >= 0;
  const nOk = n === null || (Number.isInteger(n) && n > 0);
  const splitCount = version ? (c.split === 'all' ? version.sampleCount : version.splitCounts[c.split]) : 0;
  const valid = version !== undefined && model !== undefined && modeAllowed(model, c.mode) && seedOk && nOk && splitCount > 0 && typeof cascadeFields !== 'string';
  const usesPrompt = c.mode !== 'classifier';
  const candidates = candidateChoice(version?.classes ?? [], c.extraCandidates, c.abstainLabel);
  const candidatesOk = !usesPrompt || candidates.problem === null;

  if (s.loaded && (s.versions.length === 0 || s.models.length === 0)) {
    return <NewEvalEmpty noVersions={s.versions.length === 0} noModels={s.models.length === 0} onGoData={onGoData} onGoModels={onGoModels} onCancel={onCancel} />;
  }

  const start = async () => {
    if (!valid || !candidatesOk || busy || !version || !model || typeof cascadeFields === 'string') return;
    setBusy(true);
    try {
      const params = {
        name: c.name.trim() || s.suggestedName,
        versionId: version.id,
        split: c.split,
        modelId: model.id,
        mode: c.mode,
        ...(usesPrompt ? promptRequest(c, s.promptVersions) : {}),
        seed,
        nSamples: n,
        device: c.device,
        dtype: model.kind === 'vlm' && c.dtype ? c.dtype : null,
        classMapping: c.mode === 'classifier' && c.classMapping ? c.classMapping : null,
        ...(usesPrompt && candidates.extra.length > 0 ? { labels: candidates.labels, abstainLabel: candidates.abstainLabel } : {}),
      };
      const { run, jobId } = await api.evals.create({ ...params, ...cascadeFields });
      if (cascadeFields.cascade && cascade.stage2Alone) await startStage2Alone(api, params);
      s.discard();
      // Remembered in main for this dataset: the next New eval opens with these settings (and the version the run used).
      api.prompts
        .saveFormSettings({ datasetId, settings: { ...choicesToSettings(c), promptVersionId: run.promptVersionId } })
        .catch((error: unknown) => reportError('Remembering the eval settings', error));
      onStarted(run, jobId);
    } catch (error) {
      reportError('Starting the eval', error);
      setBusy(false);
    }
  };

  return (
    <form
      className="new-eval"
      data-testid="new-eval-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <div className="new-eval-grid">
        <section className="panel-card form">
          <h3>What to evaluate</h3>
          <label>
            Name
            <input data-testid="eval-name" placeholder={s.suggestedName} value={c.name} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <div className="form-row">
            <label>
              Dataset version
              <select data-testid="eval-version" value={c.versionId ?? ''} onChange={(e) => set({ versionId: Number(e.target.value) })}>
                {s.versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} ({v.sampleCount} samples)
                  </option>
                ))}
              </select>
            </label>
            <label>
              Split
              <select data-testid="eval-split" value={c.split} onChange={(e) => set({ split: e.target.value as EvalSplit })}>
                {EVAL_SPLITS.map((sp) => (
                  <option key={sp} value={sp}>
                    {sp} ({version ? (sp === 'all' ? version.sampleCount : version.splitCounts[sp]) : 0})
                  </option>
                ))}
              </select>
            </label>
          </div>
          {version && splitCount === 0 ? <p className="form-error">This split is empty in {version.name} — pick another or re-split and snapshot.</p> : null}
          <label>
            Model
            <select data-testid="eval-model" value={c.modelId ?? ''} onChange={(e) => set({ modelId: Number(e.target.value) })}>
              {s.models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.kind === 'vlm' ? (m.architecture ?? 'vlm') : 'ONNX classifier'})
                </option>
              ))}
            </select>
          </label>
          <fieldset className="radio-group mode-group">
            <legend>Mode</legend>
            {EVAL_MODES.map((mode) => {
              const allowed = modeAllowed(model, mode);
              return (
                <label key={mode} className={`radio mode-option${allowed ? '' : ' disabled'}`} title={allowed ? undefined : mode === 'classifier' ? 'Only for ONNX classifier models' : 'Needs a VLM'}>
                  <input type="radio" name="mode" value={mode} data-testid={`eval-mode-${mode}`} disabled={!allowed} checked={c.mode === mode} onChange={() => set({ mode })} />
                  <span>
                    <strong>{modeLabel(mode)}</strong>
                    <span className="hint"> — {modeExplanation(mode)}</span>
                  </span>
                </label>
              );
            })}
          </fieldset>
          <CascadeOptions
            models={s.models}
            model={model}
            mode={c.mode}
            labels={version?.classes ?? []}
            value={cascade}
            onChange={(patch) => setCascade((prev) => ({ ...prev, ...patch }))}
          />
          {c.mode === 'classifier' ? (
            <ClassMappingPicker model={model} value={c.classMapping} onChange={(classMapping) => set({ classMapping })} datasetClasses={version?.classes ?? []} />
          ) : null}
        </section>
        <section className="panel-card form">
          <h3>How to run it</h3>
          <div className="form-row">
            <label>
              Device
              <select data-testid="eval-device" value={c.device} onChange={(e) => set({ device: e.target.value as EvalDevice })}>
                {s.devices.map((d) => (
                  <option key={d.device} value={d.device} disabled={!d.available}>
                    {d.available ? d.device : `${d.device} — ${PROVIDER_STATE_LABELS[d.state]}`}
                  </option>
                ))}
              </select>
            </label>
            {model && model.kind === 'vlm' ? (
              <label>
                Dtype
                <select data-testid="eval-dtype" value={c.dtype} onChange={(e) => set({ dtype: e.target.value })}>
                  {model.dtypes.map((d) => (
                    <option key={d} value={d}>
                      {d}
                      {d === model.defaultDtype ? ' (default)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          <div className="form-row">
            <label>
              Seed
              <input type="number" min={0} data-testid="eval-seed" value={c.seed} onChange={(e) => set({ seed: e.target.value })} />
              {!seedOk ? <span className="form-error">A whole number ≥ 0.</span> : null}
            </label>
            <label>
              Samples
              <input type="number" min={1} placeholder={`all ${splitCount}`} data-testid="eval-n" value={c.nSamples} onChange={(e) => set({ nSamples: e.target.value })} />
              {!nOk ? <span className="form-error">Blank for all, or a positive whole number.</span> : <span className="hint">Blank = all; a subset is drawn with the seed.</span>}
            </label>
          </div>
          <ul className="device-notes" data-testid="eval-device-notes">
            {s.devices
              .filter((d) => !d.available)
              .map((d) => (
                <li key={d.device}>
                  <strong>{d.device}</strong> {PROVIDER_STATE_LABELS[d.state]} — {d.reason ?? 'not detected'} (see Models → GPU runtime)
                </li>
              ))}
          </ul>
        </section>
      </div>
      {usesPrompt ? (
        <section className="panel-card">
          <h3>Prompt</h3>
          <CandidateLabelsField classes={version?.classes ?? []} extraText={c.extraCandidates} abstain={c.abstainLabel} onChange={set} />
          <PromptVersionPicker choices={c} set={set} versions={s.promptVersions} />
          <PromptEditor
            systemPrompt={c.systemPrompt}
            userPrompt={c.userPrompt}
            labels={candidates.labels}
            history={s.history}
            onChange={(p) => set(p)}
          />
          {version && model && c.mode !== 'classifier' ? <EvalPromptExtras datasetId={datasetId} choices={c} versionId={version.id} modelId={model.id} dtype={model.kind === 'vlm' && c.dtype ? c.dtype : null} seedOk={seedOk} /> : null}
        </section>
      ) : null}
      <footer className="new-eval-foot">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!valid || !candidatesOk || busy} data-testid="eval-start">
          {busy ? 'Starting…' : 'Start eval'}
        </button>
      </footer>
    </form>
  );
}
