/** Pure read-outs of a fine-tune job for the monitor: steps done/total, ETA, durations. */
import type { FinetuneMetricLine } from '../../../shared/finetune-types';
import type { FinetuneJob } from '../../../shared/ipc-contract-finetunes';

/** While a job is live its files grow between progress events (log lines, a detached trainer): read them again this often. */
export const LIVE_REFETCH_MS = 2000;

/** Steps done and planned: from the trainer's progress message (`step 3/8 · …`), the result, or max_steps. */
export function stepsOf(ft: FinetuneJob, metrics?: FinetuneMetricLine[]): { done: number | null; total: number | null } {
  const m = /step (\d+)\/(\d+)/.exec(ft.job.message);
  const hp = ft.spec.hyperparams;
  const total = m ? Number(m[2]) : hp.max_steps > 0 ? hp.max_steps : null;
  const done = metrics?.at(-1)?.step ?? (m ? Number(m[1]) : ft.job.kind === 'finetune' && ft.job.result ? ft.job.result.steps : null);
  return { done, total: ft.job.result && ft.job.status === 'done' ? Math.max(total ?? 0, ft.job.result.steps) : total };
}

/** Seconds left from the latest throughput (samples/s) and the samples one optimizer step takes. */
export function etaSeconds(ft: FinetuneJob, metrics: FinetuneMetricLine[]): number | null {
  const last = metrics.at(-1);
  const { total } = stepsOf(ft, metrics);
  if (!last || total === null || !(last.samples_per_s > 0)) return null;
  const perStep = ft.spec.hyperparams.batch_size * ft.spec.hyperparams.gradient_accumulation_steps;
  return (Math.max(0, total - last.step) * perStep) / last.samples_per_s;
}

/** `1 h 04 min`, `3 min 20 s`, `45 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export const lossText = (v: number | null | undefined): string => (typeof v === 'number' ? v.toPrecision(4) : '—');

/** `pets / v1`, or the version id where the snapshot is gone. */
export const snapshotLabel = (ft: FinetuneJob): string => (ft.snapshot ? `${ft.snapshot.datasetName} / ${ft.snapshot.versionName}` : `version #${ft.spec.versionId}`);
export const baseLabel = (ft: FinetuneJob): string => ft.baseModelName ?? `model #${ft.spec.baseModelId}`;
