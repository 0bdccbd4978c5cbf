/** Secrets: where tokens and key passphrases are kept (in plain words), and set/replace/remove per name; a value is never shown back. */
import { useState } from 'react';
import {
  SECRET_BACKEND_LABELS,
  SECRET_KIND_LABELS,
  SINGLE_SECRET_NAMES,
  secretEnvVar,
  secretKind,
  sshPassphraseName,
  type SecretName,
  type SecretSource,
  type SecretsStatus,
} from '../../../shared/secret-names';
import { useSecrets } from './use-secrets';

const SOURCE_TEXT: Record<SecretSource, string> = {
  keychain: 'set, in the keychain',
  memory: 'set, in memory until the studio closes',
  environment: 'set by the environment',
};

function BackendLine({ status }: { status: SecretsStatus }) {
  if (status.keychain) {
    return (
      <p className="secrets-backend ok" data-testid="secrets-backend" data-keychain="true">
        Kept in {SECRET_BACKEND_LABELS[status.backend]}. Values are never shown again, written to the workspace, logs or bundles.
      </p>
    );
  }
  return (
    <p className="secrets-backend warn" data-testid="secrets-backend" data-keychain="false">
      <strong>No keychain on this machine:</strong> {status.reason}. Values set here are kept in memory until the studio closes; to provide them at
      start, set environment variables such as <code>STUDIO_SECRET_HF_TOKEN</code> or <code>STUDIO_SECRET_SSH_PASSPHRASE_&lt;hostId&gt;</code>.
    </p>
  );
}

interface RowProps {
  name: SecretName;
  label: string;
  source: SecretSource | null;
  onSave: (value: string) => Promise<boolean>;
  onRemove: () => void;
}

function SecretRow({ name, label, source, onSave, onRemove }: RowProps) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [saving, setSaving] = useState(false);
  const close = () => {
    setValue('');
    setEditing(false);
  };
  const submit = async () => {
    setSaving(true);
    const saved = await onSave(value);
    setSaving(false);
    setValue('');
    if (saved) setEditing(false);
  };
  return (
    <li className="secret-row" data-testid="secret-row" data-name={name} data-set={source !== null}>
      <span className="secret-label">{label}</span>
      <span className={`secret-state ${source ? 'set' : 'unset'}`} data-testid="secret-state">
        {source ? SOURCE_TEXT[source] : 'not set'}
        {source === 'environment' ? <code className="small"> {secretEnvVar(name)}</code> : null}
      </span>
      {editing ? (
        <form
          className="secret-edit"
          onSubmit={(e) => {
            e.preventDefault();
            if (value) void submit();
          }}
        >
          <input
            type="password"
            data-testid="secret-input"
            aria-label={`${label} value`}
            autoComplete="new-password"
            spellCheck={false}
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="primary small" data-testid="secret-save" disabled={!value || saving}>
            Save
          </button>
          <button type="button" className="small" onClick={close}>
            Cancel
          </button>
        </form>
      ) : (
        <span className="secret-actions">
          <button type="button" className="small" data-testid="secret-edit" onClick={() => setEditing(true)}>
            {source ? 'Replace' : 'Set'}
          </button>
          {source && source !== 'environment' ? (
            <button type="button" className="small" data-testid="secret-remove" onClick={onRemove}>
              Remove
            </button>
          ) : null}
        </span>
      )}
    </li>
  );
}

export function SecretsPanel() {
  const { status, hosts, save, remove } = useSecrets();
  const sourceOf = (name: SecretName) => status?.set.find((s) => s.name === name)?.source ?? null;
  const rows: Array<{ name: SecretName; label: string }> = [
    ...SINGLE_SECRET_NAMES.map((name) => ({ name, label: SECRET_KIND_LABELS[name] })),
    ...hosts.map((h) => ({ name: sshPassphraseName(h.id), label: `${SECRET_KIND_LABELS['ssh-passphrase']}: ${h.name}` })),
  ];
  // A passphrase kept for a host that is gone stays listed, so it can be removed.
  for (const { name } of status?.set ?? []) {
    if (secretKind(name) === 'ssh-passphrase' && !rows.some((r) => r.name === name)) rows.push({ name, label: `${SECRET_KIND_LABELS['ssh-passphrase']}: host ${name.split(':')[1]} (removed)` });
  }
  return (
    <section className="panel-card secrets-panel" data-testid="secrets-panel">
      <div className="panel-title-row">
        <h3>Secrets</h3>
      </div>
      <p className="muted small">Hugging Face token for gated models, Modal token for cloud fine-tunes, and SSH key passphrases per host.</p>
      {status ? <BackendLine status={status} /> : <p className="muted small">Checking the keychain…</p>}
      <ul className="secret-list">
        {rows.map((r) => (
          <SecretRow key={r.name} name={r.name} label={r.label} source={sourceOf(r.name)} onSave={(v) => save(r.name, v, r.label)} onRemove={() => void remove(r.name, r.label)} />
        ))}
      </ul>
    </section>
  );
}
