/** After training: evaluate the fine-tune against a baseline — a done run of the base on this dataset, or one created first in a chosen mode. */
import type { EvalRun } from '../../../shared/eval-types';
import { FINETUNE_EVAL_MODES } from '../../../shared/finetune-types';
import { modeExplanation, modeLabel, pct } from '../evals/eval-format';
import type { NewFinetuneForm } from './new-finetune-state';

interface EvaluateSettingsProps {
  form: NewFinetuneForm;
  set: (patch: Partial<NewFinetuneForm>) => void;
  baselines: EvalRun[];
  baseName: string | null;
}

export function EvaluateSettings({ form, set, baselines, baseName }: EvaluateSettingsProps) {
  const chosen = baselines.find((r) => r.id === form.baselineRunId);
  return (
    <div className="nf-evaluate">
      <label className="inline">
        <input type="checkbox" data-testid="evaluate-enabled" checked={form.evaluate} onChange={(e) => set({ evaluate: e.target.checked })} />
        Evaluate after training (the base and the fine-tune on the same test split, side by side)
      </label>
      {form.evaluate ? (
        <>
          <label>
            Baseline
            <select
              data-testid="evaluate-baseline"
              value={chosen ? chosen.id : ''}
              onChange={(e) => set({ baselineRunId: e.target.value === '' ? null : Number(e.target.value) })}
            >
              <option value="">Create one{baseName ? ` (run ${baseName} first)` : ''}</option>
              {baselines.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} — {modeLabel(r.mode)}, {r.split}
                  {r.metrics?.accuracy != null ? `, accuracy ${pct(r.metrics.accuracy)}` : ''}
                </option>
              ))}
            </select>
            <span className="hint">
              {baselines.length === 0
                ? `No done eval of ${baseName ?? 'this base'} on this dataset yet: one is run before the fine-tune’s own.`
                : `${baselines.length} done run${baselines.length === 1 ? '' : 's'} of ${baseName ?? 'this base'} on this dataset; the fine-tune repeats the chosen one’s prompt, mode and labels.`}
            </span>
          </label>
          {!chosen ? (
            <fieldset className="radio-group" data-testid="evaluate-mode">
              <legend>Mode of the baseline to create</legend>
              {FINETUNE_EVAL_MODES.map((m) => (
                <label key={m} className="radio">
                  <input type="radio" name="ft-eval-mode" data-testid={`evaluate-mode-${m}`} checked={form.evalMode === m} onChange={() => set({ evalMode: m })} />
                  <span>
                    <strong>{modeLabel(m)}</strong>
                    <span className="hint"> — {modeExplanation(m)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
