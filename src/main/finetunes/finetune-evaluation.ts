/**
 * Closes the fine-tune loop in main: when a finetune job ends done with evaluation enabled, evaluates the base
 * (reusing or creating the baseline run) and then the fine-tuned model with the baseline's exact configuration, as
 * ordinary eval jobs. Every step is recorded in finetune_evals first, so a restart resumes the interrupted run and
 * never creates or starts a run twice.
 */
import type { EvalRun } from '../../shared/eval-types';
import { finetuneSpecSchema, type FinetuneEvalState, type FinetuneEvaluation, type FinetuneResult, type FinetuneSpec } from '../../shared/finetune-types';
import type { StudioEventBus } from '../api/event-bus';
import type { Db } from '../db/open-database';
import { liveClaimant } from '../evals/eval-claim';
import { createEvalRun } from '../evals/eval-plan';
import { getEvalRun } from '../evals/eval-store';
import type { JobManager } from '../jobs/job-manager';
import { getModel } from '../models/model-registry';
import { baselineRunProblem, findBaselineRun, findRunLike, finetunedParams, newBaselineParams, noTestSplitReason } from './finetune-baseline';
import { getEvaluation, recordPhase, saveEvaluation } from './finetune-state-store';

export interface FinetuneEvaluatorOptions {
  db: Db;
  jobs: JobManager;
  bus: StudioEventBus;
  /** How often to look again while another live process computes a run (default 1 s). */
  claimPollMs?: number;
}

/** Thrown inside an evaluation once the evaluator is closing: the state stays where it is, for the next start. */
class Stopped extends Error {}
/** Thrown when there is nothing to evaluate on: the evaluation is skipped (with its reason), not failed. */
class Skipped extends Error {}

const UNFINISHED: readonly FinetuneEvalState[] = ['pending', 'baseline', 'finetuned'];

export class FinetuneEvaluator {
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;
  private off: (() => void) | null = null;

  constructor(private readonly opts: FinetuneEvaluatorOptions) {}

  /** Follows finetune jobs ending done and resumes evaluations an earlier process left unfinished. */
  start(): void {
    this.off = this.opts.bus.on('jobs:changed', (job) => {
      if (job.kind === 'finetune' && job.status === 'done') this.jobDone(job.id);
    });
    this.reconcile();
  }

  /** Resumes every done fine-tune whose evaluation is pending, baseline or finetuned; returns their job ids. */
  reconcile(): string[] {
    const ids = this.opts.db
      .prepare(
        `SELECT e.job_id FROM finetune_evals e JOIN jobs j ON j.id = e.job_id
         WHERE j.kind = 'finetune' AND j.status = 'done' AND e.state IN (${UNFINISHED.map(() => '?').join(', ')}) ORDER BY j.finished_at, j.id`,
      )
      .pluck(true)
      .all(...UNFINISHED) as string[];
    for (const id of ids) void this.drive(id);
    return ids;
  }

  /** Resolves once this process has nothing more to do for the job's evaluation (tests, the CLI). */
  settled(jobId: string): Promise<void> {
    return this.inFlight.get(jobId) ?? Promise.resolve();
  }

  /** Stops starting work; running eval jobs are then interrupted by the JobManager's close and resumed at the next start. */
  async close(): Promise<void> {
    this.stopped = true;
    this.off?.();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** A finetune job just ended done: its evaluation starts once (a repeated event finds the row and leaves it). */
  private jobDone(jobId: string): void {
    const { db } = this.opts;
    if (this.stopped || this.inFlight.has(jobId) || getEvaluation(db, jobId) !== null) return;
    try {
      if (!this.spec(jobId).evaluate.enabled) return;
    } catch (err) {
      // Never throw into the JobManager's event: a spec that no longer parses is this evaluation's failure.
      this.save(jobId, { state: 'failed', error: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.save(jobId, { state: 'pending' });
    void this.drive(jobId);
  }

  private drive(jobId: string): Promise<void> {
    const running = this.inFlight.get(jobId);
    if (running) return running;
    const work = this.evaluate(jobId)
      .catch((err: unknown) => {
        if (err instanceof Stopped || this.stopped || !this.opts.db.open) return;
        const message = err instanceof Error ? err.message : String(err);
        const state = err instanceof Skipped ? 'skipped' : 'failed';
        this.save(jobId, { state, error: message });
        // The fine-tune itself is done; only its evaluation failed (or had nothing to run on).
        recordPhase(this.opts.db, jobId, 'done', `evaluation ${state}: ${message}`);
        this.changed(jobId, `evaluation ${state}`);
      })
      .finally(() => this.inFlight.delete(jobId));
    this.inFlight.set(jobId, work);
    return work;
  }

  private async evaluate(jobId: string): Promise<void> {
    const { db, jobs } = this.opts;
    const spec = this.spec(jobId);
    const job = jobs.get(jobId);
    const result = job.kind === 'finetune' ? (job.result as FinetuneResult | null) : null;
    if (!result) throw new Error(`fine-tune job ${jobId} ended without a registered model to evaluate`);
    recordPhase(db, jobId, 'evaluating');
    let ev = getEvaluation(db, jobId) ?? this.save(jobId, { state: 'pending' });
    this.changed(jobId, 'evaluating');
    const model = getModel(db, result.modelId);

    if (ev.baselineRunId === null) {
      const baseline = await this.pickBaseline(spec, model.name);
      this.check();
      ev = this.save(jobId, { state: 'baseline', baselineRunId: baseline.id });
    }
    const baseline = await this.runToDone(ev.baselineRunId as number, 'baseline');

    let finetunedRunId = ev.finetunedRunId;
    if (finetunedRunId === null) {
      const params = finetunedParams(baseline, model);
      const run = findRunLike(db, params) ?? (await createEvalRun(db, params));
      this.check();
      finetunedRunId = run.id;
    }
    if (ev.state !== 'finetuned' || ev.finetunedRunId !== finetunedRunId) ev = this.save(jobId, { state: 'finetuned', finetunedRunId });
    await this.runToDone(finetunedRunId, 'fine-tuned');

    this.save(jobId, { state: 'done', error: null });
    recordPhase(db, jobId, 'done');
    this.changed(jobId, 'evaluation done');
  }

  /** The named baseline (checked again: it may have changed since create), an equivalent done run, or a new run of the base. */
  private async pickBaseline(spec: FinetuneSpec, finetuneName: string): Promise<EvalRun> {
    const { db } = this.opts;
    const problem = baselineRunProblem(db, spec);
    if (problem) throw new Error(problem);
    if (spec.evaluate.baselineRunId !== null) return getEvalRun(db, spec.evaluate.baselineRunId);
    const found = findBaselineRun(db, spec);
    if (found) return found;
    const noTest = noTestSplitReason(db, spec);
    if (noTest) throw new Skipped(noTest);
    const params = newBaselineParams(db, spec, getModel(db, spec.baseModelId), finetuneName);
    return findRunLike(db, params) ?? (await createEvalRun(db, params));
  }

  /** Brings a run to done: follows its live job, waits out another process's claim, or starts (resumes) it once. */
  private async runToDone(runId: number, role: string): Promise<EvalRun> {
    const { db, jobs } = this.opts;
    let attempted = false;
    for (;;) {
      this.check();
      const run = getEvalRun(db, runId);
      if (run.status === 'done') return run;
      if (attempted) throw new Error(`the ${role} eval run "${run.name}" (#${run.id}) ended ${run.status}${run.error ? `: ${run.error}` : ''}`);
      let jobId = jobs.activeFor({ kind: 'eval-run', id: runId })?.id ?? null;
      if (jobId === null) {
        if (liveClaimant(db, runId) !== null) {
          await new Promise((r) => setTimeout(r, this.opts.claimPollMs ?? 1000));
          continue;
        }
        jobId = jobs.start('eval', { runId });
      }
      await jobs.wait(jobId);
      // Refused because another studio process claimed the run meanwhile: follow that one instead.
      if (liveClaimant(db, runId) === null) attempted = true;
    }
  }

  private spec(jobId: string): FinetuneSpec {
    const json = this.opts.db.prepare(`SELECT params_json FROM jobs WHERE id = ? AND kind = 'finetune'`).pluck(true).get(jobId) as string | undefined;
    if (json === undefined) throw new Error(`fine-tune job ${jobId} not found`);
    return finetuneSpecSchema.parse(JSON.parse(json));
  }

  private save(jobId: string, patch: { state: FinetuneEvalState } & Partial<Omit<FinetuneEvaluation, 'state'>>): FinetuneEvaluation {
    const saved = saveEvaluation(this.opts.db, jobId, patch);
    this.changed(jobId, `evaluation ${patch.state}`);
    return saved;
  }

  private changed(jobId: string, reason: string): void {
    this.opts.bus.emit('finetune:changed', { jobId, reason });
  }

  private check(): void {
    if (this.stopped || !this.opts.db.open) throw new Stopped('the studio is closing');
  }
}
