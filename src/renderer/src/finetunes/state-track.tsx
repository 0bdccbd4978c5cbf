/** The fine-tune's state machine as a track of its stamped phases (queued → … → evaluating → an end), each reached one with its time. */
import { FINETUNE_PHASES, type FinetunePhase, type FinetunePhaseStamp } from '../../../shared/finetune-types';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';
import { formatDate } from '../lib/format';
import { formatDuration } from './finetune-format';

const ENDS = ['done', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly FinetunePhase[];
type End = (typeof ENDS)[number];
const FLOW = FINETUNE_PHASES.filter((p) => !(ENDS as readonly string[]).includes(p));
const isEnd = (p: string): p is End => (ENDS as readonly string[]).includes(p);

/** The stamps to show: the pipeline's own, plus what the job row says where a phase was never stamped (jobs from before stamps). */
export function effectivePhases(ft: FinetuneJob): Map<FinetunePhase, FinetunePhaseStamp> {
  const { status, createdAt, finishedAt } = ft.job;
  const stamps = new Map(ft.phases.map((p) => [p.phase, p]));
  if (!stamps.has('queued')) stamps.set('queued', { phase: 'queued', at: createdAt, detail: null });
  const anyAfterQueued = [...stamps.keys()].some((p) => p !== 'queued');
  // Reached, but when is unknown (at ''): the job row only knows it left the queue.
  if (!anyAfterQueued && status !== 'queued') stamps.set('running', { phase: 'running', at: '', detail: null });
  const evaluating = ft.evaluation !== null && ['pending', 'baseline', 'finetuned'].includes(ft.evaluation.state);
  if (isEnd(status) && !ENDS.some((e) => stamps.has(e)) && !(status === 'done' && evaluating) && finishedAt) {
    stamps.set(status, { phase: status, at: finishedAt, detail: ft.job.error });
  }
  return stamps;
}

/** The phase the fine-tune is in now: its end once reached, else the latest stamped step. */
export function currentPhase(stamps: Map<FinetunePhase, FinetunePhaseStamp>): FinetunePhase {
  const end = ENDS.find((e) => stamps.has(e));
  if (end) return end;
  return [...FLOW].reverse().find((p) => stamps.has(p)) ?? 'queued';
}

const clock = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

export function StateTrack({ ft }: { ft: FinetuneJob }) {
  const stamps = effectivePhases(ft);
  const current = currentPhase(stamps);
  const lastReached = Math.max(...FLOW.map((p, i) => (stamps.has(p) ? i : -1)));
  const stepClass = (phase: FinetunePhase) => `state-step${stamps.has(phase) ? ' reached' : ''}${current === phase ? ' current' : ''}`;
  const trained = ft.job.result ? `trained ${formatDuration(ft.job.result.trainSeconds)}` : null;
  return (
    <ol className="state-track" data-testid="state-track" data-status={ft.job.status} data-phase={current}>
      {FLOW.map((phase, i) => {
        const stamp = stamps.get(phase);
        const skipped = !stamp && i < lastReached;
        return (
          <li key={phase} className={`${stepClass(phase)}${skipped ? ' skipped' : ''}`} data-state={phase} data-reached={stamp ? 'true' : 'false'} title={stamp?.at ? `${formatDate(stamp.at)}${stamp.detail ? ` — ${stamp.detail}` : ''}` : undefined}>
            <span className="state-name">{phase}</span>
            <span className="state-time" data-testid={`phase-time-${phase}`}>
              {stamp ? (stamp.at ? clock(stamp.at) : ft.job.status === 'running' ? 'now' : 'reached') : skipped ? 'skipped' : '—'}
            </span>
            {phase === 'running' && trained && stamp ? <span className="state-time">{trained}</span> : null}
          </li>
        );
      })}
      <li className="state-ends">
        {ENDS.map((end) => {
          const stamp = stamps.get(end);
          return (
            <span key={end} className={`state-end status-${end}${stamp ? ' current reached' : ''}`} data-state={end} title={stamp?.detail ?? undefined}>
              <span className="state-name">{end}</span>
              {stamp ? <span className="state-time">{clock(stamp.at)}</span> : null}
            </span>
          );
        })}
      </li>
    </ol>
  );
}
