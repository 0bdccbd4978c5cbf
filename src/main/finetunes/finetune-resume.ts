/**
 * Resuming a stopped fine-tune (spec.resumeFrom) on any backend: which earlier job and checkpoint it continues (the
 * newest complete one in that job's LOCAL run folder, whichever backend wrote it — SSH and Modal mirror theirs there),
 * why it may not, and handing it to the trainer's --resume: seeded into the run folder (local) or shipped inside the
 * bundle as resume/checkpoints/step-N with the metrics/log rows so far (SSH, Modal; sealed in the manifest).
 */
import { cpSync, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finetuneSpecSchema, type FinetuneHyperparams, type FinetuneSpec, type FinetuneValidation } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import { StudioError, notFound } from '../errors';
import { finetuneJobDir } from './finetune-paths';
import { readMetrics } from './finetune-metrics';

/** Job statuses a fine-tune can be resumed from: it stopped before its end. */
export const RESUMABLE_STATUSES = ['cancelled', 'failed', 'interrupted'] as const;
/** Hyperparameters a resume may change: they do not alter the math of the steps already done (the trainer checks the same list). */
const FREE_KEYS = new Set<keyof FinetuneHyperparams>(['num_train_epochs', 'max_steps', 'logging_steps', 'eval_steps', 'save_steps', 'save_total_limit']);
/** Spec fields that must match the earlier job's. */
const SAME_FIELDS = ['baseModelId', 'versionId', 'systemPrompt', 'userPrompt', 'labels'] as const;

/** The newest complete checkpoint (step-<N> with its state.json) in a trainer run folder, or null. */
export function newestCheckpoint(runDir: string): { dir: string; step: number } | null {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return null;
  const steps = readdirSync(root)
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && existsSync(join(root, m[0], 'state.json')))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const step = steps.at(-1);
  return step === undefined ? null : { dir: join(root, `step-${step}`), step };
}

/** The step a stopped job (any backend: remote checkpoints are mirrored into its run folder) could resume from (null: it is not stopped or has no checkpoint). */
export function resumableStep(workspaceRoot: string, jobId: string, status: string): number | null {
  if (!(RESUMABLE_STATUSES as readonly string[]).includes(status)) return null;
  return newestCheckpoint(join(finetuneJobDir(workspaceRoot, jobId), 'run'))?.step ?? null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why `spec` cannot resume its resumeFrom job (empty: it can, or it resumes nothing); `selfJobId` is the job checking its own spec. */
export function resumeProblems(db: Db, workspaceRoot: string, spec: FinetuneSpec, selfJobId?: string): string[] {
  const from = spec.resumeFrom?.jobId;
  if (!from) return [];
  const row = db.prepare(`SELECT status, params_json FROM jobs WHERE id = ? AND kind = 'finetune'`).get(from) as { status: string; params_json: string } | undefined;
  if (!row) return [`resumeFrom: no fine-tune job ${from}`];
  const problems: string[] = [];
  if (!(RESUMABLE_STATUSES as readonly string[]).includes(row.status)) problems.push(`resumeFrom: job ${from} is ${row.status}; only a ${RESUMABLE_STATUSES.join('/')} job can be resumed`);
  const live = db.prepare(`SELECT id FROM jobs WHERE kind = 'finetune' AND status IN ('queued', 'running') AND json_extract(params_json, '$.resumeFrom.jobId') = ? AND id != ?`).pluck(true).get(from, selfJobId ?? '') as string | undefined;
  if (live) problems.push(`resumeFrom: job ${live} is already resuming job ${from}`);
  const prev = finetuneSpecSchema.parse(JSON.parse(row.params_json));
  for (const f of SAME_FIELDS) if (!same(spec[f], prev[f])) problems.push(`resumeFrom: ${f} differs from job ${from}'s`);
  const changed = (Object.keys(spec.hyperparams) as (keyof FinetuneHyperparams)[]).filter((k) => !FREE_KEYS.has(k) && !same(spec.hyperparams[k], prev.hyperparams[k]));
  if (changed.length > 0) problems.push(`resumeFrom: ${changed.join(', ')} differ${changed.length === 1 ? 's' : ''} from job ${from}'s, which changes the steps already trained`);
  const ckpt = newestCheckpoint(join(finetuneJobDir(workspaceRoot, from), 'run'));
  if (!ckpt) problems.push(`resumeFrom: job ${from} left no checkpoint to resume from`);
  else if (spec.hyperparams.max_steps > 0 && spec.hyperparams.max_steps < ckpt.step) problems.push(`resumeFrom: max_steps ${spec.hyperparams.max_steps} is below the checkpoint's step ${ckpt.step}`);
  return problems;
}

/** The spec that resumes job `jobId` (its own spec, on `backend` when given). */
export function resumeSpec(db: Db, jobId: string, backend?: FinetuneSpec['backend']): FinetuneSpec {
  const json = db.prepare(`SELECT params_json FROM jobs WHERE id = ? AND kind = 'finetune'`).pluck(true).get(jobId) as string | undefined;
  if (!json) throw notFound(`fine-tune job ${jobId}`);
  const prev = finetuneSpecSchema.parse(JSON.parse(json));
  return { ...prev, backend: backend ?? prev.backend, resumeFrom: { jobId } };
}

/**
 * In the new job's process, before the trainer: checks the resume again, copies the earlier job's newest checkpoint
 * into `runDir`/checkpoints (temp name, then rename) with its metrics.jsonl and train.log, and returns the folder to
 * pass as --resume (null when the spec resumes nothing). Re-running it is harmless: a seeded run folder is reused.
 */
export function seedResumeRun(db: Db, workspaceRoot: string, jobId: string, spec: FinetuneSpec, runDir: string): { dir: string; step: number } | null {
  const from = spec.resumeFrom?.jobId;
  if (!from) return null;
  const problems = resumeProblems(db, workspaceRoot, spec, jobId);
  if (problems.length > 0) throw new StudioError('invalid-args', `Cannot resume: ${problems.join('; ')}`);
  const prevRun = join(finetuneJobDir(workspaceRoot, from), 'run');
  const ckpt = newestCheckpoint(prevRun)!;
  const target = join(runDir, 'checkpoints', `step-${ckpt.step}`);
  if (!existsSync(join(target, 'state.json'))) {
    const tmp = join(runDir, 'checkpoints', `.tmp-step-${ckpt.step}-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    cpSync(ckpt.dir, tmp, { recursive: true });
    // Rows past the checkpoint (a kill can leave them) are dropped here, so the progress poll never counts them; the trainer cuts train.log.
    const rows = readMetrics(join(prevRun, 'metrics.jsonl')).filter((m) => m.step <= ckpt.step);
    writeFileSync(join(runDir, 'metrics.jsonl'), rows.map((m) => `${JSON.stringify(m)}\n`).join(''));
    if (existsSync(join(prevRun, 'train.log'))) cpSync(join(prevRun, 'train.log'), join(runDir, 'train.log'));
    renameSync(tmp, target);
  }
  return { dir: target, step: ckpt.step };
}

/** The bundle folder a remote resume ships: a run folder's shape (checkpoints/step-N, metrics.jsonl, train.log), so the trainer adopts all three. */
export const BUNDLE_RESUME_DIR = 'resume';

/**
 * For SSH and Modal: checks the resume again and copies the earlier job's newest checkpoint with its metrics rows up
 * to that step and its train.log into <bundle>/resume (replacing any older copy; the caller seals it in the manifest).
 * Returns the checkpoint's path relative to the bundle (for `--resume`), or null when the spec resumes nothing.
 */
export function stageResumeInBundle(db: Db, workspaceRoot: string, jobId: string, spec: FinetuneSpec, bundle: string): { rel: string; step: number } | null {
  const dest = join(bundle, BUNDLE_RESUME_DIR);
  const from = spec.resumeFrom?.jobId;
  if (!from) {
    rmSync(dest, { recursive: true, force: true });
    return null;
  }
  const problems = resumeProblems(db, workspaceRoot, spec, jobId);
  if (problems.length > 0) throw new StudioError('invalid-args', `Cannot resume: ${problems.join('; ')}`);
  const prevRun = join(finetuneJobDir(workspaceRoot, from), 'run');
  const ckpt = newestCheckpoint(prevRun)!;
  const rel = `${BUNDLE_RESUME_DIR}/checkpoints/step-${ckpt.step}`;
  rmSync(dest, { recursive: true, force: true });
  cpSync(ckpt.dir, join(bundle, rel), { recursive: true });
  const rows = readMetrics(join(prevRun, 'metrics.jsonl')).filter((m) => m.step <= ckpt.step);
  writeFileSync(join(dest, 'metrics.jsonl'), rows.map((m) => `${JSON.stringify(m)}\n`).join(''));
  if (existsSync(join(prevRun, 'train.log'))) cpSync(join(prevRun, 'train.log'), join(dest, 'train.log'));
  return { rel, step: ckpt.step };
}

/** The trainer's extra arguments for job `jobId`'s `spec` (['--resume', <seeded checkpoint>] or none); the finetune child's one call. */
export function resumeArgs(db: Db, workspaceRoot: string, jobId: string, spec: FinetuneSpec, runDir: string): string[] {
  const seeded = seedResumeRun(db, workspaceRoot, jobId, spec, runDir);
  return seeded ? ['--resume', seeded.dir] : [];
}

/** A validation with the resume's problems added (a spec that cannot resume cannot start). */
export function withResumeProblems(v: FinetuneValidation, db: Db, workspaceRoot: string, spec: FinetuneSpec): FinetuneValidation {
  const problems = resumeProblems(db, workspaceRoot, spec);
  return problems.length === 0 ? v : { ...v, ok: false, errors: [...v.errors, ...problems] };
}

/** Throws the resume's problems as one invalid-args error. */
export function assertResumable(db: Db, workspaceRoot: string, spec: FinetuneSpec): void {
  const problems = resumeProblems(db, workspaceRoot, spec);
  if (problems.length > 0) throw new StudioError('invalid-args', `Cannot resume: ${problems.join('; ')}`);
}
