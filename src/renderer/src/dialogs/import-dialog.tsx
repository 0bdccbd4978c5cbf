/** Import dialog: type/paste a folder or manifest path, pick the format, name the dataset, start the job. */
import { useState } from 'react';
import type { ImportFormat } from '../../../shared/domain';
import { PathCheckLine } from '../components/path-check-line';
import { useImportSourceCheck } from '../data/use-path-check';
import { errorMessage } from '../lib/errors';
import { basename } from '../lib/format';
import { useStudio } from '../state/studio-context';
import { FormModal } from './form-modal';

const FORMATS: { value: ImportFormat; label: string }[] = [
  { value: 'auto', label: 'Auto-detect' },
  { value: 'imagefolder', label: 'Image folder (one sub-folder per class)' },
  { value: 'csv', label: 'CSV manifest (path,label)' },
  { value: 'jsonl', label: 'JSONL manifest' },
  { value: 'hf-imagefolder', label: 'Hugging Face imagefolder (metadata.csv/jsonl)' },
];

interface ImportDialogProps {
  defaultName: string;
  onClose: () => void;
  onStarted: (jobId: string, datasetName: string) => void;
}

export function ImportDialog({ defaultName, onClose, onStarted }: ImportDialogProps) {
  const { api } = useStudio();
  const [source, setSource] = useState('');
  const [format, setFormat] = useState<ImportFormat>('auto');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const suggested = source.trim() ? basename(source.trim().replace(/[\\/]+$/, '')).replace(/\.(csv|jsonl)$/i, '') : defaultName;
  const datasetName = name.trim() || suggested;
  const valid = source.trim().length > 0 && datasetName.length > 0;
  const check = useImportSourceCheck(source, format);

  // The path is checked by main first: a bad one keeps the dialog open with the problem next to what was typed.
  const start = async () => {
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const check = await api.datasets.checkImportSource({ source: source.trim(), format });
      if (!check.ok) {
        setError(check.message);
        setBusy(false);
        return;
      }
      const { jobId } = await api.datasets.import({ source: source.trim(), format, datasetName });
      onStarted(jobId, datasetName);
    } catch (err) {
      setError(`Could not start the import: ${errorMessage(err)}`);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title="Import images"
      testId="import-dialog"
      onClose={onClose}
      formId="import-form"
      onSubmit={() => void start()}
      submitLabel="Import"
      busyLabel="Starting…"
      busy={busy}
      disabled={!valid}
      submitTestId="import-start"
      error={error}
    >
      <label>
        Folder or manifest path
        <input
          autoFocus
          data-testid="import-source"
          placeholder="/data/pets  or  /data/pets/labels.csv"
          value={source}
          onChange={(e) => {
            setSource(e.target.value);
            setError(null);
          }}
          spellCheck={false}
        />
        <span className="hint">Paste an absolute path. Image folders use the sub-folder name as the label.</span>
        <PathCheckLine check={error ? null : check} testId="import-source-check" />
      </label>
      <label>
        Format
        <select data-testid="import-format" value={format} onChange={(e) => {
            setFormat(e.target.value as ImportFormat);
            setError(null);
          }}>
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dataset name
        <input data-testid="import-name" placeholder={suggested} value={name} onChange={(e) => setName(e.target.value)} />
        <span className="hint">An existing dataset with this name receives the new images (duplicates are skipped).</span>
      </label>
    </FormModal>
  );
}
