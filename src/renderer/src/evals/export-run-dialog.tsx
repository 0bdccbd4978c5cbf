/** Export one run: CSV (optionally with thumbnails), JSON, or the YAML config that reproduces it, to a file path. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { EvalRun } from '../../../shared/eval-types';
import { FormModal } from '../dialogs/form-modal';
import { queryKeys } from '../data/query-keys';
import { errorMessage } from '../lib/errors';
import { formatBytes } from '../lib/format';
import { useStudio } from '../state/studio-context';

type Format = 'csv' | 'json' | 'yaml';
const FORMATS: { value: Format; label: string }[] = [
  { value: 'csv', label: 'CSV — one row per sample (truth, prediction, probabilities, latency)' },
  { value: 'json', label: 'JSON — run, metrics and every sample row' },
  { value: 'yaml', label: 'YAML — the run config (model, prompt, seed …) to reproduce it' },
];

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'eval';

export function ExportRunDialog({ run, onClose }: { run: EvalRun; onClose: () => void }) {
  const { api, showToast } = useStudio();
  const [format, setFormat] = useState<Format>('csv');
  const [thumbnails, setThumbnails] = useState(false);
  const [destination, setDestination] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const workspace = useQuery({ queryKey: queryKeys.workspace, queryFn: () => api.workspace.info({}), meta: { errorContext: 'Reading the workspace' } });
  const folder = workspace.isFetched ? (workspace.data ? `${workspace.data.path.replace(/[\\/]+$/, '')}/exports` : '') : null;
  // Suggest a file name that follows the format until the user types their own.
  const suggested = folder === null ? '' : `${folder ? `${folder}/` : ''}${slug(run.name)}-run${run.id}.${format}`;
  const [edited, setEdited] = useState(false);
  const path = edited ? destination : suggested;

  const start = async () => {
    if (!path.trim() || busy) return;
    setBusy(true);
    try {
      const result = await api.evals.export({ runId: run.id, format, destination: path.trim(), thumbnails: format !== 'yaml' && thumbnails });
      showToast(`Exported ${formatBytes(result.bytes)} to ${result.path}`);
      onClose();
    } catch (err) {
      setError(`Could not export: ${errorMessage(err)}`);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title={`Export “${run.name}”`}
      testId="export-run-dialog"
      wide
      onClose={onClose}
      formId="export-run-form"
      onSubmit={() => void start()}
      submitLabel="Export"
      busyLabel="Exporting…"
      busy={busy}
      disabled={!path.trim()}
      submitTestId="export-run-start"
      error={error}
    >
      <fieldset className="radio-group">
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <label key={f.value} className="radio">
            <input type="radio" name="format" value={f.value} data-testid={`export-run-format-${f.value}`} checked={format === f.value} onChange={() => setFormat(f.value)} />
            {f.label}
          </label>
        ))}
      </fieldset>
      {format !== 'yaml' ? (
        <label className="inline">
          <input type="checkbox" data-testid="export-run-thumbnails" checked={thumbnails} onChange={(e) => setThumbnails(e.target.checked)} />
          Include thumbnails (base64 JPEG per sample)
        </label>
      ) : null}
      <label>
        Destination file
        <input
          spellCheck={false}
          data-testid="export-run-destination"
          value={path}
          onChange={(e) => {
            setEdited(true);
            setDestination(e.target.value);
          }}
        />
        <span className="hint">Folders are created; an existing file is never overwritten.</span>
      </label>
    </FormModal>
  );
}
