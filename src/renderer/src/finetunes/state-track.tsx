/** The job's state machine as a track: queued → running → done / failed / cancelled / interrupted, each reached step with its time. */
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { formatDate } from '../lib/format';
import { formatDuration } from './finetune-format';

const ENDS = ['done', 'failed', 'cancelled', 'interrupted'] as const;

export function StateTrack({ ft }: { ft: FinetuneJob }) {
  const { status, createdAt, finishedAt } = ft.job;
  const ended = (ENDS as readonly string[]).includes(status);
  const stepClass = (reached: boolean, current: boolean) => `state-step${reached ? ' reached' : ''}${current ? ' current' : ''}`;
  return (
    <ol className="state-track" data-testid="state-track" data-status={status}>
      <li className={stepClass(true, status === 'queued')} data-state="queued">
        <span className="state-name">queued</span>
        <span className="state-time">{formatDate(createdAt)}</span>
      </li>
      <li className={stepClass(status !== 'queued', status === 'running')} data-state="running">
        <span className="state-name">running</span>
        <span className="state-time">{status === 'running' ? 'now' : ft.job.result ? `trained ${formatDuration(ft.job.result.trainSeconds)}` : ended ? 'ended' : 'not yet'}</span>
      </li>
      <li className="state-ends">
        {ENDS.map((end) => (
          <span key={end} className={`state-end status-${end}${status === end ? ' current reached' : ''}`} data-state={end}>
            <span className="state-name">{end}</span>
            {status === end && finishedAt ? <span className="state-time">{formatDate(finishedAt)}</span> : null}
          </span>
        ))}
      </li>
    </ol>
  );
}
