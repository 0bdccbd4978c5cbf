/** Snapshot: freeze the current active samples, labels and splits into a named, immutable version. */
import { useState } from 'react';
import type { DatasetVersion } from '../../../shared/domain';
import { useStudio } from '../state/studio-context';
import { FormModal } from './form-modal';

interface SnapshotDialogProps {
  datasetId: number;
  versions: DatasetVersion[];
  onClose: () => void;
  onCreated: (version: DatasetVersion) => void;
}

export function SnapshotDialog({ datasetId, versions, onClose, onCreated }: SnapshotDialogProps) {
  const { api, reportError } = useStudio();
  const [name, setName] = useState(`v${versions.length + 1}`);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const taken = versions.some((v) => v.name.toLowerCase() === name.trim().toLowerCase());
  const valid = name.trim().length > 0 && !taken;

  const create = async () => {
    if (!valid || busy) return;
    setBusy(true);
    try {
      onCreated(await api.versions.create({ datasetId, name: name.trim(), note }));
    } catch (error) {
      reportError('Creating the snapshot', error);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title="Snapshot a version"
      testId="snapshot-dialog"
      onClose={onClose}
      formId="snapshot-form"
      onSubmit={() => void create()}
      submitLabel="Create snapshot"
      busyLabel="Saving…"
      busy={busy}
      disabled={!valid}
      submitTestId="snapshot-create"
    >
      <p className="muted small">
        A version is immutable: evals and exports pin to it, so later cleaning never changes its train/test sets.
      </p>
      <label>
        Name
        <input autoFocus data-testid="snapshot-name" value={name} onChange={(e) => setName(e.target.value)} />
        {taken ? <span className="form-error">A version with this name already exists.</span> : null}
      </label>
      <label>
        Note
        <textarea data-testid="snapshot-note" rows={3} value={note} placeholder="What changed since the last version?" onChange={(e) => setNote(e.target.value)} />
      </label>
    </FormModal>
  );
}
