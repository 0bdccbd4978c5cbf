/** Merge… / Delete… for one dataset class: pick where its samples go (another class, or unlabelled for a delete); one undoable change. */
import { useState } from 'react';
import type { ClassInfo, EditResult } from '../../../shared/domain';
import { FormModal } from '../dialogs/form-modal';
import { errorMessage } from '../lib/errors';
import { useStudio } from '../state/studio-context';
import '../styles/class-mappings.css';

interface ClassRemoveDialogProps {
  datasetId: number;
  kind: 'merge' | 'delete';
  source: ClassInfo;
  classes: ClassInfo[];
  onClose: () => void;
  onDone: (result: EditResult) => void;
}

const UNLABELLED = 'unlabelled';

export function ClassRemoveDialog({ datasetId, kind, source, classes, onClose, onDone }: ClassRemoveDialogProps) {
  const { api, showToast } = useStudio();
  const others = classes.filter((c) => c.id !== source.id);
  const [target, setTarget] = useState<string>(kind === 'merge' ? String(others[0]?.id ?? '') : UNLABELLED);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const targetClass = others.find((c) => String(c.id) === target) ?? null;

  const submit = async () => {
    if (busy || (kind === 'merge' && !targetClass)) return;
    setBusy(true);
    setError(null);
    try {
      const result =
        kind === 'merge' && targetClass
          ? await api.classes.merge({ datasetId, sourceClassId: source.id, targetClassId: targetClass.id })
          : await api.classes.remove({ datasetId, classId: source.id, targetClassId: targetClass?.id ?? null });
      showToast(`${result.change?.summary ?? 'Done'} · Z to undo`);
      onDone(result);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const verb = kind === 'merge' ? 'Merge' : 'Delete';
  return (
    <FormModal
      title={`${verb} class "${source.name}"`}
      testId="class-remove-dialog"
      formId="class-remove-form"
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel={verb}
      busyLabel={`${verb === 'Merge' ? 'Merging' : 'Deleting'}…`}
      busy={busy}
      disabled={kind === 'merge' && !targetClass}
      submitTestId="class-remove-submit"
      error={error}
    >
      <div className="class-merge-form">
        <p>
          {kind === 'merge'
            ? `"${source.name}" disappears and its samples (${source.count} active, dropped ones too) take the target's label.`
            : `"${source.name}" disappears; its samples (${source.count} active, dropped ones too) move to the class you pick, or become unlabelled.`}
        </p>
        <label>
          {kind === 'merge' ? 'Merge into' : 'Move its samples to'}
          <select data-testid="class-remove-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {kind === 'delete' ? <option value={UNLABELLED}>Unlabelled</option> : null}
            {others.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name} ({c.count})
              </option>
            ))}
          </select>
        </label>
        <p className="hint">One step in the history: Undo (Z) brings the class and every sample's label back.</p>
      </div>
    </FormModal>
  );
}
