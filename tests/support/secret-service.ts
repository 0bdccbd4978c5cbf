/** Whether a real Secret Service can be started for a test (dbus-run-session + gnome-keyring-daemon + secret-tool); under CI it must. */
import { spawnSync } from 'node:child_process';

const TOOLS = [
  ['dbus-run-session', 'dbus'],
  ['gnome-keyring-daemon', 'gnome-keyring'],
  ['secret-tool', 'libsecret-tools'],
] as const;

/** null when the tools are there; else which Debian package is missing. Throws under CI=true instead of skipping. */
export function secretServiceUnavailable(): string | null {
  const missing = TOOLS.filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0).map(([bin, pkg]) => `${bin} (apt-get install ${pkg})`);
  const reason = missing.length > 0 ? `no ${missing.join(', ')}` : null;
  if (reason && process.env.CI === 'true') throw new Error(`the Secret Service tests cannot run under CI: ${reason}`);
  return reason;
}
