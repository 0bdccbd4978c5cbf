/** The form's footer: what the fine-tune will do once valid, or why Start is disabled (the first problem, and how many there are). */
import type { FinetuneValidation } from '../../../shared/finetune-types';
import type { FieldErrors, NewFinetuneForm } from './new-finetune-state';
import { useHostKey } from './use-hosts';

interface StartBarProps {
  form: NewFinetuneForm;
  errors: FieldErrors;
  general: string[];
  validation: FinetuneValidation | undefined;
  validating: boolean;
  busy: boolean;
  onCancel: () => void;
  onStart: () => void;
}

const FIELD_NAMES: Record<string, string> = { base: 'Base model', snapshot: 'Snapshot', labels: 'Labels', userPrompt: 'User prompt', host: 'SSH host', modalTimeout: 'Modal timeout' };

const CHECKING = 'Checking the settings…';

/** Why Start is disabled (null: it is not). */
export function blockReason(p: { errors: FieldErrors; general: string[]; validation: FinetuneValidation | undefined; validating: boolean; hostKey: string | null }): string | null {
  const fields = Object.entries(p.errors);
  const count = fields.length + p.general.length;
  const more = count > 1 ? ` (and ${count - 1} more)` : '';
  if (fields.length > 0) return `${FIELD_NAMES[fields[0][0]] ?? fields[0][0]}: ${fields[0][1]}${more}`;
  if (p.general.length > 0) return `${p.general[0]}${more}`;
  if (!p.validation) return CHECKING;
  if (!p.validation.ok) return p.validation.errors[0] ?? 'The settings are not valid.';
  return p.hostKey;
}

export function StartBar({ form, errors, general, validation, validating, busy, onCancel, onStart }: StartBarProps) {
  const { answer } = useHostKey(form.backend === 'ssh' ? form.hostId : null);
  const hostKey =
    form.backend !== 'ssh' || form.hostId === null
      ? null
      : !answer
        ? 'Reading the SSH host’s key…'
        : answer.error !== null
          ? `The SSH host cannot be reached: ${answer.error}`
          : answer.probe.state === 'known'
            ? null
            : answer.probe.state === 'unknown'
              ? 'Confirm the SSH host’s key first (Trust this key).'
              : 'The SSH host offers a changed key: refused.';
  const reason = blockReason({ errors, general, validation, validating, hostKey });
  return (
    <footer className="nf-foot">
      <div className="nf-foot-status" data-testid="nf-status" data-ready={reason === null && !validating ? 'true' : 'false'}>
        {reason !== null ? (
          <span className={reason === CHECKING ? 'muted' : 'nf-block'} data-testid="nf-block-reason">
            {reason}
          </span>
        ) : validating ? (
          <span className="muted">{CHECKING}</span>
        ) : validation ? (
          <span className="ok" data-testid="nf-ready">
            Ready: {validation.trainSamples} train / {validation.valSamples} val samples, {validation.labels.length} labels, LoRA wraps {validation.wrappedCount} modules.
          </span>
        ) : null}
      </div>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="primary" data-testid="nf-start" disabled={reason !== null || validating || busy} title={reason ?? (validating ? 'Checking the settings…' : undefined)} onClick={onStart}>
        {busy ? 'Starting…' : 'Start fine-tune'}
      </button>
    </footer>
  );
}
