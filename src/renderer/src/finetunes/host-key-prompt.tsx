/** The first-use host-key prompt: the fingerprint the host offers, "Trust this key"; a changed key is a refusal in red with what to do. */
import { useState } from 'react';
import type { SshHost } from '../../../shared/ssh-types';
import { useHostKey, useTrustHost } from './use-hosts';

export function HostKeyPrompt({ host }: { host: SshHost }) {
  const { answer, checking, recheck } = useHostKey(host.id);
  const trust = useTrustHost();
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState(false);
  const where = `${host.username}@${host.host}${host.port === 22 ? '' : `:${host.port}`}`;
  const doTrust = async (fingerprint: string) => {
    setBusy(true);
    await trust(host.id, fingerprint);
    setBusy(false);
  };

  if (!answer) return <p className="hint" data-testid="host-key-checking">Reading {where}’s host key…</p>;
  if (answer.error !== null) {
    return (
      <div className="nf-key nf-key-bad" data-testid="host-key" data-state="error">
        <strong>Cannot reach {where}</strong>
        <span>{answer.error}</span>
        <div className="nf-inline-actions">
          <button type="button" disabled={checking} onClick={recheck}>
            {checking ? 'Checking…' : 'Check again'}
          </button>
        </div>
      </div>
    );
  }
  const { probe } = answer;
  if (probe.state === 'known') {
    return (
      <div className="nf-key nf-key-ok" data-testid="host-key" data-state="known">
        <strong>Host key trusted</strong>
        <span className="mono">
          {probe.keyType} {probe.fingerprint}
        </span>
      </div>
    );
  }
  if (probe.state === 'unknown') {
    return (
      <div className="nf-key nf-key-new" data-testid="host-key" data-state="unknown">
        <strong>First connection to {where}: is this its key?</strong>
        <span>
          The host offers a <code>{probe.keyType}</code> key with the fingerprint
        </span>
        <code className="nf-fingerprint" data-testid="host-key-fingerprint">
          {probe.fingerprint}
        </code>
        <span className="hint">
          Compare it with what the host itself says (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> run on it, or your provider’s console). Trust it only if they match.
        </span>
        <div className="nf-inline-actions">
          <button type="button" className="primary" data-testid="host-key-trust" disabled={busy} onClick={() => void doTrust(probe.fingerprint)}>
            {busy ? 'Trusting…' : 'Trust this key'}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="nf-key nf-key-bad" data-testid="host-key" data-state="changed">
      <strong>Refused: {where} now offers a different host key</strong>
      <span>
        It offers <code data-testid="host-key-fingerprint">{probe.fingerprint}</code> ({probe.keyType}), not the key you trusted before. Nothing is sent to it.
      </span>
      <span>
        This happens when the server was reinstalled or its keys regenerated — or when someone is intercepting the connection. Ask the host’s admin for its fingerprint (
        <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) and compare.
      </span>
      <label className="inline">
        <input type="checkbox" data-testid="host-key-confirm-changed" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I checked: this new fingerprint is the host’s real key
      </label>
      <div className="nf-inline-actions">
        <button type="button" disabled={checking} onClick={recheck}>
          Check again
        </button>
        <button type="button" className="danger" data-testid="host-key-replace" disabled={!checked || busy} onClick={() => void doTrust(probe.fingerprint)}>
          Replace the trusted key
        </button>
      </div>
    </div>
  );
}
