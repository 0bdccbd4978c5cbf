/** Add local model: type or paste a folder path, inspect it, read what was found, then Register (only when supported). */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RegisteredModel } from '../../../shared/eval-types';
import type { ModelInspection } from '../../../shared/model-types';
import { Modal } from '../dialogs/modal';
import { basename } from '../lib/format';
import { queryKeys } from '../data/query-keys';
import { errorMessage } from '../lib/errors';
import { useStudio } from '../state/studio-context';
import { InspectionView } from './inspection-view';

interface AddModelDialogProps {
  onClose: () => void;
  onRegistered: (model: RegisteredModel) => void;
}

export function AddModelDialog({ onClose, onRegistered }: AddModelDialogProps) {
  const { api } = useStudio();
  const client = useQueryClient();
  const [path, setPath] = useState('');
  // Only what the user typed: the folder-name default follows the current path, never an earlier one.
  const [name, setName] = useState('');
  const [inspection, setInspection] = useState<{ path: string; result: ModelInspection } | null>(null);
  const [failure, setFailure] = useState<{ path: string; message: string } | null>(null);
  const [busy, setBusy] = useState<'inspect' | 'register' | null>(null);
  const folder = path.trim();
  const defaultName = folder ? basename(folder.replace(/[\\/]+$/, '')) : '';
  const current = inspection && inspection.path === folder ? inspection.result : null;
  const currentFailure = failure && failure.path === folder ? failure.message : null;
  const canRegister = current !== null && current.supported && current.kind !== null && busy === null;

  const inspect = async () => {
    if (!folder || busy) return;
    setBusy('inspect');
    setFailure(null);
    try {
      setInspection({ path: folder, result: await api.models.inspect({ path: folder }) });
    } catch (error) {
      setInspection(null);
      setFailure({ path: folder, message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const register = async () => {
    if (!canRegister) return;
    setBusy('register');
    try {
      const model = await api.models.register({ path: folder, name: name.trim() || undefined });
      await client.invalidateQueries({ queryKey: queryKeys.models });
      onRegistered(model);
    } catch (error) {
      setFailure({ path: folder, message: `Could not register: ${errorMessage(error)}` });
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
          <input data-testid="model-name" placeholder={defaultName || 'defaults to the folder name'} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" hidden />
      </form>
      {current ? <InspectionView inspection={current} /> : null}
      {currentFailure ? (
        <p className="form-error dialog-error" role="alert" data-testid="model-inspect-error">
          {currentFailure}
        </p>
      ) : null}
      {inspection && !current && !currentFailure ? (
        <p className="hint" data-testid="model-path-changed">
          The path changed since the last inspection — inspect again before registering.
        </p>
      ) : null}
    </Modal>
  );
}
