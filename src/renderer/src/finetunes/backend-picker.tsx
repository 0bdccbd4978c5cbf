/** Where the fine-tune trains: this computer, an SSH host (pick, add, remove, confirm its key) or Modal (GPU type and timeout). */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { MODAL_GPUS, type FinetuneBackendKind, type ModalGpu } from '../../../shared/finetune-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';
import { AddHostForm } from './add-host-form';
import { HostKeyPrompt } from './host-key-prompt';
import type { FieldErrors, NewFinetuneForm } from './new-finetune-state';
import { hostKeyQueryKey, useHosts } from './use-hosts';

const KINDS: { kind: FinetuneBackendKind; label: string; hint: string }[] = [
  { kind: 'local', label: 'This computer', hint: 'a background process here; CPU works for tiny and mini VLMs' },
  { kind: 'ssh', label: 'SSH host', hint: 'your GPU box: the bundle is uploaded, the model downloaded back' },
  { kind: 'modal', label: 'Modal', hint: 'a cloud GPU through your own modal CLI and account' },
];

interface BackendPickerProps {
  form: NewFinetuneForm;
  set: (patch: Partial<NewFinetuneForm>) => void;
  errors: FieldErrors;
}

export function BackendPicker({ form, set, errors }: BackendPickerProps) {
  const { api, reportError } = useStudio();
  const client = useQueryClient();
  const { hosts, loaded } = useHosts();
  const [adding, setAdding] = useState(false);
  const host = hosts.find((h) => h.id === form.hostId);
  // A remembered host that was removed since is not silently kept.
  useEffect(() => {
    if (loaded && form.hostId !== null && !hosts.some((h) => h.id === form.hostId)) set({ hostId: null });
  }, [loaded, hosts, form.hostId, set]);
  const remove = async (hostId: number) => {
    try {
      await api.hosts.remove({ hostId });
      set({ hostId: null });
      // The list only: a removed host's key is not probed again.
      client.removeQueries({ queryKey: hostKeyQueryKey(hostId) });
      await client.invalidateQueries({ queryKey: queryKeys.hosts, exact: true });
    } catch (e) {
      reportError('Removing the SSH host', e);
    }
  };
  return (
    <div className="nf-backend">
      <div className="nf-segments" role="radiogroup" aria-label="Where to train">
        {KINDS.map((k) => (
          <label key={k.kind} className={`nf-segment${form.backend === k.kind ? ' on' : ''}`} title={k.hint}>
            <input type="radio" name="backend" data-testid={`backend-${k.kind}`} checked={form.backend === k.kind} onChange={() => set({ backend: k.kind })} />
            {k.label}
          </label>
        ))}
      </div>
      <p className="hint">{KINDS.find((k) => k.kind === form.backend)?.hint}.</p>
      {form.backend === 'ssh' ? (
        <div className="nf-ssh">
          {!adding ? (
            <div className="nf-host-row">
              <label>
                Host
                <select data-testid="backend-host" value={form.hostId ?? ''} onChange={(e) => set({ hostId: e.target.value === '' ? null : Number(e.target.value) })}>
                  <option value="">{loaded && hosts.length === 0 ? 'No hosts yet — add one' : 'Choose a host…'}</option>
                  {hosts.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name} ({h.username}@{h.host}
                      {h.port === 22 ? '' : `:${h.port}`})
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" data-testid="host-add" onClick={() => setAdding(true)}>
                Add host…
              </button>
              {host ? (
                <button type="button" className="link small" data-testid="host-remove" onClick={() => void remove(host.id)}>
                  Remove
                </button>
              ) : null}
            </div>
          ) : (
            <AddHostForm
              onCancel={() => setAdding(false)}
              onAdded={(h) => {
                setAdding(false);
                set({ hostId: h.id });
              }}
            />
          )}
          {errors.host && !adding ? <p className="form-error">{errors.host}</p> : null}
          {host && !adding ? (
            <>
              <p className="hint">
                Work dir <code>{host.workDir}</code>, Python <code>{host.python}</code>, key <code>{host.keyPath}</code>
              </p>
              <HostKeyPrompt host={host} />
            </>
          ) : null}
        </div>
      ) : null}
      {form.backend === 'modal' ? (
        <div className="form-row">
          <label>
            GPU
            <select data-testid="backend-modal-gpu" value={form.modalGpu} onChange={(e) => set({ modalGpu: e.target.value as ModalGpu })}>
              {MODAL_GPUS.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <label>
            Timeout (minutes)
            <input type="number" min={5} max={1440} data-testid="backend-modal-timeout" value={form.modalTimeout} onChange={(e) => set({ modalTimeout: e.target.value })} />
            {errors.modalTimeout ? <span className="form-error">{errors.modalTimeout}</span> : <span className="hint">Modal stops the run after this long.</span>}
          </label>
        </div>
      ) : null}
    </div>
  );
}
