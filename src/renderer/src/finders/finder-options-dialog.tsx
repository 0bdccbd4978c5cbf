/** Options for one finder run (thresholds editable; blank keeps the default), then Start: a `find` job with progress and Cancel. */
import { useState } from 'react';
import type { FinderName } from '../../../shared/finder-types';
import { Modal } from '../dialogs/modal';
import { useStudio } from '../state/studio-context';
import { FINDER_LABELS, OPTION_FIELDS, type OptionField } from './finder-format';

interface FinderOptionsDialogProps {
  datasetId: number;
  finder: FinderName;
  /** Values to start from (e.g. the thresholds dragged on the quality histograms). */
  initial?: Record<string, unknown>;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}

function parseField(field: OptionField, text: string): unknown {
  if (field.kind === 'lines') return text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (field.kind === 'boolean') return text === 'true';
  return Number(text);
}

export function FinderOptionsDialog({ datasetId, finder, initial = {}, onClose, onStarted }: FinderOptionsDialogProps) {
  const { api } = useStudio();
  const fields = OPTION_FIELDS[finder];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, initial[f.key] === undefined ? '' : Array.isArray(initial[f.key]) ? (initial[f.key] as string[]).join('\n') : String(initial[f.key])])),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    const options: Record<string, unknown> = {};
    for (const f of fields) if (values[f.key] !== '') options[f.key] = parseField(f, values[f.key]);
    setBusy(true);
    try {
      const { jobId } = await api.finders.start({ finder, datasetId, options });
      onStarted(jobId);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Find: ${FINDER_LABELS[finder].title}`}
      testId="finder-options"
      onClose={onClose}
      onKey={(e) => {
        if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement)) {
          void start();
          return true;
        }
        return false;
      }}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" data-testid="finder-start" disabled={busy} onClick={() => void start()}>
            Start
          </button>
        </>
      }
    >
      <p className="muted">{FINDER_LABELS[finder].blurb}. Runs as a job; the ranked suspects open as a review queue.</p>
      <div className="finder-fields">
        {fields.map((f) => (
          <label key={f.key} className="finder-field">
            <span>{f.label}</span>
            {f.kind === 'lines' ? (
              <textarea rows={4} value={values[f.key]} placeholder="(defaults)" onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            ) : f.kind === 'boolean' ? (
              <input type="checkbox" checked={values[f.key] === 'true'} onChange={(e) => setValues({ ...values, [f.key]: String(e.target.checked) })} />
            ) : (
              <input
                type="number"
                data-testid={`finder-option-${f.key}`}
                min={f.min}
                max={f.max}
                step={f.step ?? (f.kind === 'int' ? 1 : 'any')}
                value={values[f.key]}
                placeholder={f.help ?? 'default'}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
            )}
          </label>
        ))}
      </div>
      {error ? (
        <p className="error" data-testid="finder-error">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
