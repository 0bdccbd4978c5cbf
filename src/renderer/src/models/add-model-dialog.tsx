/** Add local model: type or paste a folder path, inspect it, read what was found, then Register (only when supported). */
import { useState } from 'react';
import type { RegisteredModel } from '../../../shared/eval-types';
import type { ModelInspection } from '../../../shared/model-types';
import { Modal } from '../dialogs/modal';
import { basename } from '../lib/format';
import { useStudio } from '../state/studio-context';
import { InspectionView } from './inspection-view';

interface AddModelDialogProps {
  onClose: () => void;
  onRegistered: (model: RegisteredModel) => void;
}

export function AddModelDialog({ onClose, onRegistered }: AddModelDialogProps) {
  const { api, reportError } = useStudio();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [inspection, setInspection] = useState<{ path: string; result: ModelInspection } | null>(null);
  const [busy, setBusy] = useState<'inspect' | 'register' | null>(null);
  const current = inspection && inspection.path === path.trim() ? inspection.result : null;
  const canRegister = current !== null && current.supported && current.kind !== null && busy === null;

  const inspect = async () => {
    const folder = path.trim();
    if (!folder || busy) return;
    setBusy('inspect');
    try {
      const result = await api.models.inspect({ path: folder });
      setInspection({ path: folder, result });
      if (!name.trim()) setName(basename(folder.replace(/[\\/]+$/, '')));
    } catch (error) {
      reportError('Inspecting the model folder', error);
    } finally {
      setBusy(null);
    }
  };

  const register = async () => {
    if (!canRegister) return;
    setBusy('register');
    try {
      onRegistered(await api.models.register({ path: path.trim(), name: name.trim() || undefined }));
    } catch (error) {
      reportError('Registering the model', error);
      setBusy(null);
    }
  };

  return (
    <Modal
      title="Add a local model"
      testId="add-model-dialog"
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" disabled={!path.trim() || busy !== null} data-testid="model-inspect" onClick={() => void inspect()}>
            {busy === 'inspect' ? 'Inspecting…' : current ? 'Inspect again' : 'Inspect'}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!canRegister}
            title={current && !current.supported ? 'This folder cannot be used — see the problems above' : undefined}
            data-testid="model-register"
            onClick={() => void register()}
          >
            {busy === 'register' ? 'Registering…' : 'Register'}
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (current?.supported) void register();
          else void inspect();
        }}
      >
        <p className="muted small">
          A VLM folder (config.json + ONNX sessions, as exported for transformers.js) or an ONNX image classifier (one .onnx graph +
          labels.txt). The folder stays where it is; the studio only records its path.
        </p>
        <label>
          Model folder
          <input
            autoFocus
            spellCheck={false}
            placeholder="/models/LFM2-VL-450M-ONNX"
            data-testid="model-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <label>
          Name
          <input data-testid="model-name" placeholder="defaults to the folder name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" hidden />
      </form>
      {current ? <InspectionView inspection={current} /> : null}
      {inspection && !current ? <p className="hint">The path changed — inspect again before registering.</p> : null}
    </Modal>
  );
}
