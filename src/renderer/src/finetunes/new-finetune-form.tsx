/** New fine-tune: base, snapshot, prompt, labels, the seeds' hyperparameters, backend and evaluation, validated live; Start opens the job's monitor. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import '../styles/new-finetune.css';
import { queryKeys } from '../data/query-keys';
import { PromptEditor } from '../evals/prompt-editor';
import { useSelectedDataset } from '../state/selected-dataset';
import { useStudio } from '../state/studio-context';
import { BackendPicker } from './backend-picker';
import { EvaluateSettings } from './evaluate-settings';
import { HyperparamFields } from './hyperparam-fields';
import { LoraTargetsTable } from './lora-targets-table';
import { StartBar } from './start-bar';
import { useNewFinetune } from './use-new-finetune';
import { applyImport, fieldOfServerError, formToSpec, splitList, type FieldErrors } from './new-finetune-state';
import { KeyWarnings, YamlPanel } from './yaml-panel';

interface NewFinetuneFormProps {
  datasetId: number;
  onCancel: () => void;
  onStarted: (jobId: string) => void;
}

export function NewFinetuneForm({ datasetId, onCancel, onStarted }: NewFinetuneFormProps) {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const { datasets, select } = useSelectedDataset();
  const s = useNewFinetune(datasetId);
  const { form, set, version, base, validation } = s;
  const [busy, setBusy] = useState(false);
  // Warnings the YAML panel already lists (key:message) are not repeated below.
  const [imported, setImported] = useState<Set<string>>(() => new Set());
  const extraWarnings = (validation?.warnings ?? []).filter((w) => !imported.has(`${w.key}:${w.message}`));

  // Client-side field errors first; main's validation errors land on the field they name.
  const errors: FieldErrors = { ...s.fieldErrors };
  const general: string[] = [];
  for (const e of validation?.errors ?? []) {
    const field = fieldOfServerError(e, base?.name ?? null);
    if (field === 'form' || errors[field]) general.push(e);
    else errors[field] = e;
  }
  const labelsShown = splitList(form.labels).length > 0 ? splitList(form.labels) : (version?.classes ?? []);

  const start = async () => {
    const { spec } = formToSpec(form);
    if (!spec || busy) return;
    setBusy(true);
    try {
      const { jobId } = await api.finetunes.create(spec);
      await client.invalidateQueries({ queryKey: queryKeys.finetunes });
      onStarted(jobId);
    } catch (error) {
      reportError('Starting the fine-tune', error);
      setBusy(false);
    }
  };

  return (
    <div className="page nf-page" data-testid="new-finetune">
      <header className="page-header">
        <div>
          <h1>New fine-tune</h1>
          <span className="muted">LoRA on a dataset snapshot, with the same keys as a seeds’ finetune.yaml — checked as you type.</span>
        </div>
        <button type="button" data-testid="new-finetune-cancel" onClick={onCancel}>
          Back to fine-tunes
        </button>
      </header>
      <div className="page-body nf-body">
        <div className="nf-grid">
          <section className="panel-card form">
            <h3>What to train</h3>
            <label>
              Base model
              <select data-testid="nf-base" value={form.baseModelId ?? ''} onChange={(e) => set({ baseModelId: e.target.value === '' ? null : Number(e.target.value) })}>
                <option value="">{s.models.length === 0 ? 'No models registered — add one on the Models page' : 'Choose a base…'}</option>
                {s.models.map((m) => {
                  const problem = s.baseProblems.get(m.id);
                  return (
                    <option key={m.id} value={m.id} disabled={problem !== undefined} data-problem={problem ?? ''}>
                      {m.name} — {problem ? `can’t fine-tune: ${problem}` : `${m.architecture ?? m.kind}, can fine-tune`}
                    </option>
                  );
                })}
              </select>
              {errors.base ? <span className="form-error" data-testid="nf-base-error">{errors.base}</span> : <span className="hint">LFM2-VL and SmolVLM folders with their PyTorch weights, and mini VLMs, can train; other models are listed but disabled.</span>}
            </label>
            <div className="form-row">
              <label>
                Dataset
                <select data-testid="nf-dataset" value={datasetId} onChange={(e) => select(Number(e.target.value))}>
                  {datasets.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Snapshot
                <select data-testid="nf-snapshot" value={form.versionId ?? ''} onChange={(e) => set({ versionId: Number(e.target.value) })}>
                  {s.versions.length === 0 ? <option value="">No snapshots yet</option> : null}
                  {s.versions.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name} — train {v.splitCounts.train} · val {v.splitCounts.val} · test {v.splitCounts.test}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {errors.snapshot ? <p className="form-error" data-testid="nf-snapshot-error">{errors.snapshot}</p> : null}
            {version ? (
              <p className="hint" data-testid="nf-snapshot-use">
                Train trains ({version.splitCounts.train}), val gives eval_loss ({version.splitCounts.val}), test is kept for the evaluation ({version.splitCounts.test}).
              </p>
            ) : null}
            <label>
              Labels, in {'{{labels}}'} order
              <input data-testid="nf-labels" placeholder={version ? version.classes.join(', ') : 'the snapshot’s classes'} value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
              {errors.labels ? <span className="form-error" data-testid="nf-labels-error">{errors.labels}</span> : <span className="hint">Blank: the snapshot’s classes. Comma-separated to change the order (label_mapping).</span>}
            </label>
            <label>
              Output model name
              <input data-testid="nf-output" placeholder={base ? `${base.name}-ft (default: base name + job id)` : 'base name + job id'} value={form.outputName} onChange={(e) => set({ outputName: e.target.value })} />
            </label>
          </section>
          <section className="panel-card">
            <h3>Seeds’ YAML</h3>
            <YamlPanel
              form={form}
              modelName={base ? (base.provenance.repoId ?? base.name) : null}
              onImported={(imp, text) => {
                const { patch, modelNote } = applyImport(imp, s.models, text);
                set(patch);
                setImported(new Set(imp.warnings.map((w) => `${w.key}:${w.message}`)));
                return modelNote;
              }}
            />
          </section>
        </div>
        <section className="panel-card">
          <h3>Prompt</h3>
          <PromptEditor systemPrompt={form.systemPrompt} userPrompt={form.userPrompt} labels={labelsShown} history={s.history} onChange={(p) => set(p)} />
          {errors.userPrompt ? <p className="form-error">{errors.userPrompt}</p> : null}
        </section>
        <section className="panel-card">
          <h3>Hyperparameters</h3>
          <HyperparamFields hp={form.hp} errors={errors} onChange={(hp) => set({ hp })}>
            <LoraTargetsTable validation={validation} baseName={base?.name ?? null} error={errors.lora_target_modules} />
          </HyperparamFields>
        </section>
        <div className="nf-grid">
          <section className="panel-card">
            <h3>Where to train</h3>
            <BackendPicker form={form} set={set} errors={errors} />
          </section>
          <section className="panel-card">
            <h3>After training</h3>
            <EvaluateSettings form={form} set={set} baselines={s.baselines} baseName={base?.name ?? null} />
          </section>
        </div>
        {extraWarnings.length > 0 ? (
          <section className="panel-card">
            <h3>Warnings</h3>
            <KeyWarnings warnings={extraWarnings} testId="nf-warnings" />
          </section>
        ) : null}
      </div>
      <StartBar form={form} errors={errors} general={general} validation={validation} validating={s.validating} busy={busy} onCancel={onCancel} onStart={() => void start()} />
    </div>
  );
}
