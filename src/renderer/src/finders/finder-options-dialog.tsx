/**
 * Options for one finder run (thresholds editable; blank keeps the default; the overlay finder's keyword rules validated
 * and remembered per dataset; the label-errors finder's eval run picked from a list), then Start: a `find` job.
 */
import { useState } from 'react';
import type { FinderName } from '../../../shared/finder-types';
import { Modal } from '../dialogs/modal';
import { useStudio } from '../state/studio-context';
import { EvalRunPicker } from './eval-run-picker';
import { FINDER_LABELS, OPTION_FIELDS, type OptionField } from './finder-format';
import { checkKeywords, DEFAULT_KEYWORDS, useKeywordRules, useSaveKeywordRules } from './keyword-rules';

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

/** The overlay finder's form opens once the dataset's saved keyword rules are in (unless the caller passes its own). */
export function FinderOptionsDialog(props: FinderOptionsDialogProps) {
  const { datasetId, finder, initial = {}, onClose } = props;
  const needsRules = finder === 'overlays' && initial.keywords === undefined;
  const rules = useKeywordRules(datasetId, needsRules);
  if (!needsRules) return <FinderOptionsForm {...props} initial={initial} />;
  if (!rules) {
    return (
      <Modal title={`Find: ${FINDER_LABELS[finder].title}`} testId="finder-options-loading" onClose={onClose}>
        <p className="muted">Loading this dataset's keyword rules…</p>
      </Modal>
    );
  }
  return <FinderOptionsForm {...props} initial={{ ...initial, keywords: rules.keywords }} />;
}

function FinderOptionsForm({ datasetId, finder, initial = {}, onClose, onStarted }: FinderOptionsDialogProps) {
  const { api } = useStudio();
  const saveKeywords = useSaveKeywordRules();
  const fields = OPTION_FIELDS[finder];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      fields.map((f) => {
        const start = initial[f.key];
        return [f.key, start === undefined ? '' : Array.isArray(start) ? (start as string[]).join('\n') : String(start)];
      }),
    ),
  );
  const [evalRunId, setEvalRunId] = useState<number | null>(typeof initial.runId === 'number' ? initial.runId : null);
  const keywordCheck = finder === 'overlays' ? checkKeywords(values.keywords ?? '') : null;
  const blocked = (keywordCheck !== null && keywordCheck.problems.length > 0) || (finder === 'label-errors' && evalRunId === null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    const options: Record<string, unknown> = {};
    for (const f of fields) if (values[f.key] !== '') options[f.key] = parseField(f, values[f.key]);
    if (blocked) return;
    if (keywordCheck) options.keywords = keywordCheck.keywords;
    if (finder === 'label-errors') options.runId = evalRunId;
    setBusy(true);
    try {
      if (keywordCheck) await saveKeywords(datasetId, keywordCheck.keywords);
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
          <button type="button" className="primary" data-testid="finder-start" disabled={busy || blocked} onClick={() => void start()}>
            Start
          </button>
        </>
      }
    >
      <p className="muted">{FINDER_LABELS[finder].blurb}. Runs as a job; the ranked suspects open as a review queue.</p>
      <div className="finder-fields">
        {finder === 'label-errors' ? <EvalRunPicker datasetId={datasetId} value={evalRunId} onChange={setEvalRunId} /> : null}
        {fields.map((f) => (
          <label key={f.key} className="finder-field">
            <span>{f.label}</span>
            {f.kind === 'lines' ? (
              <span className="finder-lines">
                <textarea
                  rows={5}
                  data-testid={`finder-option-${f.key}`}
                  value={values[f.key]}
                  placeholder="(none: rank by text area and confidence only)"
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                />
                <span className="muted">
                  A word or a regular expression per line, case-insensitive; an image whose text matches one ranks first. Remembered for this dataset.{' '}
                  <button type="button" className="link" data-testid="keywords-reset" onClick={() => setValues({ ...values, [f.key]: DEFAULT_KEYWORDS.join('\n') })}>
                    Reset to defaults
                  </button>
                </span>
              </span>
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
      {keywordCheck && keywordCheck.problems.length > 0 ? (
        <ul className="error" data-testid="keyword-problems">
          {keywordCheck.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="error" data-testid="finder-error">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
