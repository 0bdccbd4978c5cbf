/** Which inference devices can run here (cpu always; cuda / webgpu with the runtime's reason when not). */
import type { DeviceStatus } from './use-models';

export function DevicesPanel({ devices }: { devices: DeviceStatus[] }) {
  return (
    <section className="panel-card" data-testid="devices-panel">
      <h3>Devices</h3>
      {devices.length === 0 ? <p className="muted small">Detecting…</p> : null}
      <ul className="device-list">
        {devices.map((d) => (
          <li key={d.device} className={`device ${d.available ? 'available' : 'unavailable'}`} data-testid="device" data-device={d.device} data-available={d.available}>
            <span className="device-dot" aria-hidden="true" />
            <span className="device-name">{d.device}</span>
            <span className="device-state">{d.available ? 'available' : 'unavailable'}</span>
            {d.reason ? <span className="device-reason" title={d.reason}>{d.reason}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
