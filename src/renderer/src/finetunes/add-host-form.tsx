/** Adds an SSH host (name, address, port, user, key path, work dir, Python) with the contract's own field rules checked as you type. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { sshHostInputSchema, type SshHost } from '../../../shared/ssh-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

interface AddHostFormProps {
  onAdded: (host: SshHost) => void;
  onCancel: () => void;
}

const FIELDS = [
  { key: 'name', label: 'Name', placeholder: 'gpu-box' },
  { key: 'host', label: 'Host', placeholder: 'gpu.example.org or 10.0.0.5' },
  { key: 'port', label: 'Port', placeholder: '22' },
  { key: 'username', label: 'User', placeholder: 'ubuntu' },
  { key: 'keyPath', label: 'Private key path', placeholder: '~/.ssh/id_ed25519' },
  { key: 'workDir', label: 'Work dir on the host', placeholder: '~/vcs-finetunes' },
  { key: 'python', label: 'Python on the host', placeholder: 'python3' },
] as const;
type Field = (typeof FIELDS)[number]['key'];

export function AddHostForm({ onAdded, onCancel }: AddHostFormProps) {
  const { api } = useStudio();
  const client = useQueryClient();
  const [v, setV] = useState<Record<Field, string>>({ name: '', host: '', port: '22', username: '', keyPath: '~/.ssh/id_ed25519', workDir: '~/vcs-finetunes', python: 'python3' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const parsed = sshHostInputSchema.safeParse({ ...v, port: Number(v.port) });
  const errors: Partial<Record<Field, string>> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0]) as Field] ??= i.message;

  const add = async () => {
    setTouched(true);
    if (!parsed.success || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const host = await api.hosts.add(parsed.data);
      await client.invalidateQueries({ queryKey: queryKeys.hosts, exact: true });
      onAdded(host);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="nf-add-host" data-testid="add-host-form">
      <div className="nf-host-grid">
        {FIELDS.map((f) => (
          <label key={f.key} className={f.key === 'keyPath' || f.key === 'workDir' ? 'wide' : undefined}>
            {f.label}
            <input
              data-testid={`host-${f.key}`}
              placeholder={f.placeholder}
              value={v[f.key]}
              type={f.key === 'port' ? 'number' : 'text'}
              onChange={(e) => setV({ ...v, [f.key]: e.target.value })}
            />
            {touched && errors[f.key] ? <span className="form-error">{errors[f.key]}</span> : null}
          </label>
        ))}
      </div>
      <p className="hint">The studio connects with this key and keeps the host keys you confirm in the workspace’s own known_hosts.</p>
      {failure ? <p className="form-error" data-testid="add-host-error">{failure}</p> : null}
      <div className="nf-inline-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" data-testid="host-save" disabled={busy} onClick={() => void add()}>
          {busy ? 'Adding…' : 'Add host'}
        </button>
      </div>
    </div>
  );
}
