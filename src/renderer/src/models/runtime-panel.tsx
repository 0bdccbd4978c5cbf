/** GPU runtime: each execution provider with a plain status, the runtime's full message behind "details", and the opt-in CUDA download. */
import { PROVIDER_STATE_LABELS, type DeviceStatus } from '../../../shared/runtime-types';
import type { JobInfo } from '../../../shared/jobs';
import { useRuntime } from './use-runtime';

function InstallProgress({ install }: { install: JobInfo }) {
  if (install.status === 'running' || install.status === 'queued') {
    return (
      <div className="runtime-install running" data-testid="runtime-install-progress">
        <progress max={1} value={install.value} />
        <span>{install.message || 'Installing…'}</span>
        <span className="muted small">Cancel it from the jobs bar.</span>
      </div>
    );
  }
  if (install.status === 'failed') {
    return (
      <div className="runtime-install failed" role="alert" data-testid="runtime-install-error">
        <strong>Install failed.</strong> {install.error ?? install.message}
      </div>
    );
  }
  if (install.status !== 'done') return <div className="runtime-install muted">Install {install.status}.</div>;
  return <div className="runtime-install done">CUDA runtime installed.</div>;
}

function ProviderRow({ status, onInstall, installing }: { status: DeviceStatus; onInstall: () => void; installing: boolean }) {
  const canInstall = status.runtime?.installable === true && !status.runtime.installed;
  return (
    <li className={`provider state-${status.state}`} data-testid="provider" data-device={status.device} data-state={status.state} data-available={status.available}>
      <span className="device-dot" aria-hidden="true" />
      <span className="device-name">{status.device}</span>
      <span className="provider-state" data-testid="provider-state">
        {PROVIDER_STATE_LABELS[status.state]}
      </span>
      <span className="provider-reason" data-testid="provider-reason">
        {status.reason}
      </span>
      {canInstall ? (
        <button type="button" className={status.state === 'needs-runtime' ? 'primary small' : 'small'} data-testid="runtime-install" disabled={installing} onClick={onInstall}>
          Install CUDA runtime
        </button>
      ) : (
        <span />
      )}
      {status.details ? (
        <details className="provider-details">
          <summary>details</summary>
          <pre data-testid="provider-details">{status.details}</pre>
        </details>
      ) : null}
    </li>
  );
}

export function RuntimePanel() {
  const { devices, install, checking, startInstall, checkAgain } = useRuntime();
  const installing = install?.status === 'running' || install?.status === 'queued';
  return (
    <section className="panel-card runtime-panel" data-testid="runtime-panel">
      <div className="panel-title-row">
        <h3>GPU runtime</h3>
        <button type="button" className="small" data-testid="runtime-check" disabled={checking} onClick={() => void checkAgain()}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <p className="muted small">Where evals can run. CPU always works; CUDA needs an NVIDIA GPU, its driver and the CUDA runtime download (opt-in, a few hundred MB).</p>
      {devices === null ? <p className="muted small">Detecting…</p> : null}
      <ul className="provider-list">
        {(devices ?? []).map((d) => (
          <ProviderRow key={d.device} status={d} installing={installing} onInstall={() => void startInstall('cuda')} />
        ))}
      </ul>
      {install ? <InstallProgress install={install} /> : null}
    </section>
  );
}
