/** Where a resumed fine-tune trains: the stopped job's backend by default, or this computer, any SSH host, or Modal (its checkpoint travels in the bundle). */
import { finetuneBackendSchema, type FinetuneBackend } from '../../../shared/finetune-types';
import { useHosts } from './use-hosts';

/** 'same' | 'local' | 'ssh:<hostId>' | 'modal': the select's value. */
export type ResumeTarget = string;

/** The backend to send with finetunes:resume (undefined: the stopped job's own). */
export function resumeBackend(target: ResumeTarget, previous: FinetuneBackend): FinetuneBackend | undefined {
  if (target === 'same') return undefined;
  if (target === 'local') return { kind: 'local' };
  if (target === 'modal') return previous.kind === 'modal' ? previous : finetuneBackendSchema.parse({ kind: 'modal' });
  const hostId = Number(/^ssh:(\d+)$/.exec(target)?.[1]);
  return Number.isInteger(hostId) ? { kind: 'ssh', hostId } : undefined;
}

/** A short name of a backend for the "same as before" option. */
function backendName(b: FinetuneBackend, hostName: (id: number) => string): string {
  if (b.kind === 'local') return 'this computer';
  if (b.kind === 'ssh') return `SSH ${hostName(b.hostId)}`;
  return `Modal ${b.gpu}`;
}

export function ResumeBackendSelect({ previous, value, onChange }: { previous: FinetuneBackend; value: ResumeTarget; onChange: (v: ResumeTarget) => void }) {
  const { hosts } = useHosts();
  const hostName = (id: number) => hosts.find((h) => h.id === id)?.name ?? `host #${id}`;
  return (
    <select data-testid="finetune-resume-backend" aria-label="Resume on" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="same">on {backendName(previous, hostName)} (as before)</option>
      {previous.kind !== 'local' ? <option value="local">on this computer</option> : null}
      {hosts
        .filter((h) => !(previous.kind === 'ssh' && previous.hostId === h.id))
        .map((h) => (
          <option key={h.id} value={`ssh:${h.id}`}>
            on SSH {h.name} ({h.username}@{h.host})
          </option>
        ))}
      <option value="modal">on Modal{previous.kind === 'modal' ? ' (again)' : ' (A10G, 240 min)'}</option>
    </select>
  );
}
