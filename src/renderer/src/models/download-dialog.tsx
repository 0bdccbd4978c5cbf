/** Download from Hugging Face: repo id, revision, dtype and an optional mirror endpoint; runs as a cancellable job. */
import { useState } from 'react';
import { MODEL_DTYPES, type ModelDtype } from '../../../shared/model-types';
import { FormModal } from '../dialogs/form-modal';
import { useStudio } from '../state/studio-context';

interface DownloadDialogProps {
  onClose: () => void;
  onStarted: (jobId: string) => void;
}

const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

export function DownloadDialog({ onClose, onStarted }: DownloadDialogProps) {
  const { api, reportError } = useStudio();
  const [repoId, setRepoId] = useState('');
  const [revision, setRevision] = useState('main');
  const [dtype, setDtype] = useState<ModelDtype>('q8');
  const [name, setName] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [busy, setBusy] = useState(false);
  const repoOk = REPO_ID.test(repoId.trim());
  const valid = repoOk && revision.trim().length > 0;

  const start = async () => {
    if (!valid || busy) return;
    setBusy(true);
    try {
      const { jobId } = await api.models.download({
        repoId: repoId.trim(),
        revision: revision.trim(),
        dtype,
        name: name.trim() || undefined,
        endpoint: endpoint.trim() || undefined,
      });
      onStarted(jobId);
    } catch (error) {
      reportError('Starting the download', error);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title="Download from Hugging Face"
      testId="download-dialog"
      onClose={onClose}
      formId="download-form"
      onSubmit={() => void start()}
      submitLabel="Download"
      busyLabel="Starting…"
      busy={busy}
      disabled={!valid}
      submitTestId="download-start"
    >
      <p className="muted small">
        Fetches only the files the chosen dtype needs into the workspace model store, then registers the model. Progress and Cancel
        appear in the jobs bar.
      </p>
      <label>
        Repository
        <input
          autoFocus
          spellCheck={false}
          placeholder="onnx-community/LFM2-VL-450M-ONNX"
          data-testid="download-repo"
          value={repoId}
          onChange={(e) => setRepoId(e.target.value)}
        />
        {repoId.trim() && !repoOk ? <span className="form-error">A repo id looks like owner/name.</span> : null}
      </label>
      <div className="form-row">
        <label>
          Revision
          <input spellCheck={false} data-testid="download-revision" value={revision} onChange={(e) => setRevision(e.target.value)} />
        </label>
        <label>
          Dtype
          <select data-testid="download-dtype" value={dtype} onChange={(e) => setDtype(e.target.value as ModelDtype)}>
            {MODEL_DTYPES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Name <span className="hint">(optional, defaults to the repo id)</span>
        <input data-testid="download-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Hub endpoint <span className="hint">(optional mirror; default HF_ENDPOINT or https://huggingface.co)</span>
        <input spellCheck={false} placeholder="https://huggingface.co" data-testid="download-endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)} />
      </label>
    </FormModal>
  );
}
