/** The seeds' hyperparameters under their own YAML keys: the common ones in a grid, the rest under "Advanced"; each error beside its field. */
import type { ReactNode } from 'react';
import { defaultHyperparams, finetuneHyperparamsSchema } from '../../../shared/finetune-types';
import { ADVANCED_HYPERPARAMS, COMMON_HYPERPARAMS, type FieldErrors, type HyperparamInputs, type HyperparamKey } from './new-finetune-state';

const DEFAULTS = defaultHyperparams();

const HINTS: Partial<Record<HyperparamKey, string>> = {
  learning_rate: 'peak, after warmup',
  num_train_epochs: 'passes over the train split',
  max_steps: '-1: run the epochs; else stop after N optimizer steps',
  batch_size: 'samples per forward pass',
  gradient_accumulation_steps: 'batches per optimizer step',
  lora_r: 'LoRA rank',
  lora_alpha: 'LoRA scale (alpha / r)',
  lora_target_modules: 'comma-separated; the table below shows what they wrap',
  optim: 'adamw_8bit needs bitsandbytes + a GPU; falls back to adamw_torch',
  seed: 'shuffling and LoRA init',
  max_seq_length: 'tokens per conversation',
  warmup_ratio: 'share of steps warming up',
  logging_steps: 'train_loss every N steps',
  eval_steps: 'eval_loss on val every N steps',
  use_peft: 'LoRA only (full fine-tuning is not supported)',
  lora_vision: 'also wrap the vision encoder’s matches',
};

/** The choices of an enum key, read from the schema so the list is defined once. */
function enumOptions(key: HyperparamKey): string[] | null {
  const field = finetuneHyperparamsSchema.shape[key] as unknown as { unwrap?: () => { options?: readonly string[] } };
  const inner = field.unwrap?.();
  return inner?.options ? [...inner.options] : null;
}

interface FieldProps {
  k: HyperparamKey;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}

function HyperparamField({ k, value, error, onChange }: FieldProps) {
  const dflt = DEFAULTS[k];
  const options = enumOptions(k);
  const changed = (Array.isArray(dflt) ? dflt.join(', ') : String(dflt)) !== String(value);
  if (typeof dflt === 'boolean') {
    return (
      <label className="nf-hp nf-hp-bool" title={HINTS[k]}>
        <span className="nf-hp-key">
          <input type="checkbox" data-testid={`hp-${k}`} checked={value === true} disabled={k === 'use_peft'} onChange={(e) => onChange(e.target.checked)} />
          {k}
        </span>
        <span className="hint">{HINTS[k] ?? `default ${String(dflt)}`}</span>
      </label>
    );
  }
  return (
    <label className={`nf-hp${k === 'lora_target_modules' ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <span className="nf-hp-key">
        {k}
        {changed ? <span className="nf-changed" title={`default ${Array.isArray(dflt) ? dflt.join(', ') : String(dflt)}`}>•</span> : null}
      </span>
      {options ? (
        <select data-testid={`hp-${k}`} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input data-testid={`hp-${k}`} value={String(value)} inputMode={Array.isArray(dflt) ? 'text' : 'decimal'} onChange={(e) => onChange(e.target.value)} />
      )}
      {error ? (
        <span className="form-error" data-testid={`hp-${k}-error`}>
          {error}
        </span>
      ) : (
        <span className="hint">{HINTS[k] ?? `default ${Array.isArray(dflt) ? dflt.join(', ') : String(dflt)}`}</span>
      )}
    </label>
  );
}

interface HyperparamFieldsProps {
  hp: HyperparamInputs;
  errors: FieldErrors;
  onChange: (hp: HyperparamInputs) => void;
  /** Rendered between the common grid and Advanced (the wrapped-modules table). */
  children?: ReactNode;
}

export function HyperparamFields({ hp, errors, onChange, children }: HyperparamFieldsProps) {
  const field = (k: HyperparamKey) => <HyperparamField key={k} k={k} value={hp[k]} error={errors[k]} onChange={(v) => onChange({ ...hp, [k]: v })} />;
  const advancedErrors = ADVANCED_HYPERPARAMS.filter((k) => errors[k]).length;
  return (
    <div className="nf-hps">
      <div className="nf-hp-grid" data-testid="hp-common">
        {COMMON_HYPERPARAMS.map(field)}
      </div>
      {children}
      <details className="nf-advanced" open={advancedErrors > 0 || undefined} data-testid="hp-advanced">
        <summary>
          Advanced ({ADVANCED_HYPERPARAMS.length} more keys{advancedErrors > 0 ? `, ${advancedErrors} with errors` : ''})
        </summary>
        <div className="nf-hp-grid">{ADVANCED_HYPERPARAMS.map(field)}</div>
      </details>
    </div>
  );
}
