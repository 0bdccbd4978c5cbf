/** Export a version as folder-per-class, CSV, or chat JSONL for fine-tuning (with editable prompts); runs as a job. */
import { useState } from 'react';
import type { DatasetVersion, ExportFormat } from '../../../shared/domain';
import { PathCheckLine } from '../components/path-check-line';
import { useExportDestinationCheck } from '../data/use-path-check';
import { errorMessage } from '../lib/errors';
import { useStudio } from '../state/studio-context';
import { FormModal } from './form-modal';

export const DEFAULT_SYSTEM_PROMPT = 'You are an image classifier. Reply with exactly one label from the list, nothing else.';
export const DEFAULT_USER_PROMPT = 'Which of these labels describes the image?\n{{labels}}\nAnswer with the label only.';

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'imagefolder', label: 'Folder per class (split/label/image)' },
  { value: 'csv', label: 'CSV (path, label, split)' },
  { value: 'jsonl-chat', label: 'Chat JSONL for fine-tuning' },
];

interface ExportDialogProps {
  version: DatasetVersion;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}

export function ExportDialog({ version, onClose, onStarted }: ExportDialogProps) {
  const { api } = useStudio();
  const [format, setFormat] = useState<ExportFormat>('jsonl-chat');
  const [destination, setDestination] = useState('');
  const [systemPrompt, setSystemPrompt] = useState(DEFAULT_SYSTEM_PROMPT);
  const [userPrompt, setUserPrompt] = useState(DEFAULT_USER_PROMPT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valid = destination.trim().length > 0;
  const check = useExportDestinationCheck(destination);

  // The destination is checked by main first: a non-empty folder keeps the dialog open with the prompts as edited.
  const start = async () => {
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const check = await api.versions.checkExportDestination({ destination: destination.trim() });
      if (!check.ok) {
        setError(check.message);
        setBusy(false);
        return;
      }
      const prompts = format === 'jsonl-chat' ? { systemPrompt, userPrompt } : {};
      const { jobId } = await api.versions.export({ versionId: version.id, format, destination: destination.trim(), ...prompts });
      onStarted(jobId);
    } catch (err) {
      setError(`Could not start the export: ${errorMessage(err)}`);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title={`Export version “${version.name}”`}
      testId="export-dialog"
      onClose={onClose}
      wide
      formId="export-form"
      onSubmit={() => void start()}
      submitLabel="Export"
      busyLabel="Starting…"
      busy={busy}
      disabled={!valid}
      submitTestId="export-start"
      error={error}
    >
      <p className="muted small">
        {version.sampleCount.toLocaleString()} samples · train {version.splitCounts.train} · val {version.splitCounts.val} · test{' '}
        {version.splitCounts.test} · classes: {version.classes.join(', ')}
      </p>
      <label>
        Format
        <select data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Destination folder
        <input
          autoFocus
          data-testid="export-destination"
          placeholder="/data/exports/pets-v1"
          spellCheck={false}
          value={destination}
          onChange={(e) => {
            setDestination(e.target.value);
            setError(null);
          }}
        />
        <span className="hint">Created if absent; must be empty.</span>
        <PathCheckLine check={error ? null : check} testId="export-destination-check" />
      </label>
      {format === 'jsonl-chat' ? (
        <>
          <label>
            System prompt
            <textarea data-testid="export-system-prompt" rows={2} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} />
          </label>
          <label>
            User prompt
            <textarea data-testid="export-user-prompt" rows={4} value={userPrompt} onChange={(e) => setUserPrompt(e.target.value)} />
            <span className="hint">
              <code>{'{{labels}}'}</code> expands to one line per class: {version.classes.map((c) => `“- ${c}”`).join(', ')}.
            </span>
          </label>
        </>
      ) : null}
    </FormModal>
  );
}
