/** Create a mini VLM: the bundled MobileNetV2 (frozen) + projector + a small LM, exported untrained as a base to fine-tune; runs as a cancellable job. */
import { useState } from 'react';
import { FormModal } from '../dialogs/form-modal';
import { useStudio } from '../state/studio-context';

interface MiniVlmDialogProps {
  onClose: () => void;
  onStarted: (jobId: string) => void;
}

export function MiniVlmDialog({ onClose, onStarted }: MiniVlmDialogProps) {
  const { api, reportError } = useStudio();
  const [name, setName] = useState('mini-vlm');
  const [busy, setBusy] = useState(false);
  const valid = name.trim().length > 0 && name.trim().length <= 200;

  const start = async () => {
    if (!valid || busy) return;
    setBusy(true);
    try {
      const { jobId } = await api.models.createMiniVlm({ name: name.trim() });
      onStarted(jobId);
    } catch (error) {
      reportError('Creating the mini VLM', error);
      setBusy(false);
    }
  };

  return (
    <FormModal
      title="Create a mini VLM"
      testId="mini-vlm-dialog"
      onClose={onClose}
      formId="mini-vlm-form"
      onSubmit={() => void start()}
      submitLabel="Create"
      busyLabel="Starting…"
      busy={busy}
      disabled={!valid}
      submitTestId="mini-vlm-start"
    >
      <p className="muted small">
        A small vision-language model that trains on a laptop CPU in minutes: the pretrained MobileNetV2 (frozen) sees the image, a
        projector and a small language model with LoRA learn your labels. It starts untrained — fine-tune it on a snapshot. Building it
        takes about a minute; progress and Cancel appear in the jobs bar.
      </p>
      <label>
        Name
        <input autoFocus data-testid="mini-vlm-name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
    </FormModal>
  );
}
