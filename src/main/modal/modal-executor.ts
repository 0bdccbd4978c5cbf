/**
 * Runs a job on Modal behind the same run/reattach/cancel/detach interface as the SSH executor, through the user's
 * `modal` CLI: creates the job's volume, puts the bundle, `modal run --detach` of a generated app file (the app id is
 * the stored reference — no secrets), then polls the volume for metrics.jsonl (by the stored offset: progress) and
 * train.log (mirrored locally) until the wrapper's exit file appears, and fetches the sha256-verified artifacts.
 * Cancel is `modal app stop`; a later studio re-attaches by the app id.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { JobExecutor, JobRun, JobRunContext } from '../jobs/job-kind';
import { ArtifactError, type RemoteResult } from '../ssh/artifact-fetch';
import { modalAppSource, type ModalJobCommand } from './modal-app-file';
import { appAlive, appState, failure, ModalCliError, redact, runModal, startDetachedRun, type ModalCli, type ModalToken } from './modal-cli';
import { pullVolumeSubdirs } from './modal-dir-pull';
import { progressOf } from './modal-progress';
import { ensureVolume, fetchVolumeArtifacts, folderStats, putFolder, readVolumeFile, readVolumeResult } from './modal-volume';

export interface ModalJobResult {
  appId: string;
  /** Local folder with the verified artifacts and result.json. */
  artifactsDir: string;
  files: Record<string, string>;
  remote: RemoteResult;
}

export interface ModalExecutorOptions<P> {
  /** Local folder put on the volume as the job's bundle/. */
  bundleDir(params: P): string;
  /** What the GPU container runs in the job folder (bundle/ in; it writes out/metrics.jsonl, out/train.log, out/result.json). */
  trainerArgs(params: P): ModalJobCommand;
  /** A Modal GPU type (e.g. A10G, L40S, H100). */
  gpu(params: P): string;
  /** Modal stops the function after this long. */
  timeoutMinutes(params: P): number;
  /** The pinned pip requirements of the image (trainer/requirements-gpu.txt). */
  requirements(): string[];
  /** A token from the caller's memory (keychain); undefined: the CLI's own login (~/.modal.toml). */
  token?(params: P): ModalToken | undefined;
  /** The modal executable (default `modal` on PATH). */
  modalBin?: string;
  /** The volume all studio jobs share, each in jobs/<jobId>/ (default vcs-studio-jobs). */
  volume?: string;
  /** Local mirror of logs, the app file and the fetched artifacts (default <workspace>/job-runs/<jobId>). */
  stateDir?(workspaceRoot: string, jobId: string): string;
  pollMs?: number;
  /** How long failing CLI calls are retried before the job fails (default 5 min). */
  giveUpMs?: number;
  /** Folders under out/ whose complete step-N subfolders are mirrored into the local folder while the job runs (e.g. checkpoints). */
  mirrorDirs?: string[];
  /** Called when the job has finished well and its artifacts are about to be fetched. */
  onCollect?(jobId: string, params: P): void;
}

/** What the jobs table stores: enough to find the work again, nothing secret. */
interface ModalRef {
  appId: string;
  volume: string;
  jobDir: string;
}

export const DEFAULT_MODAL_VOLUME = 'vcs-studio-jobs';
/** The `modal run --detach` output (image build included), kept in the local job folder. */
export const RUN_LOG = 'modal-run.log';
const GIVE_UP_MS = 300_000;
const MIRROR_EVERY_MS = 3_000; // mirrored folders are listed at most this often while the job runs (and once at its end)

export function modalExecutor<P>(opts: ModalExecutorOptions<P>): JobExecutor<P, ModalJobResult> {
  const localDir = (ctx: JobRunContext<P, ModalJobResult>): string => opts.stateDir?.(ctx.workspaceRoot, ctx.jobId) ?? join(ctx.workspaceRoot, 'job-runs', ctx.jobId);
  const cliFor = (params: P): ModalCli => ({ bin: opts.modalBin ?? 'modal', token: opts.token?.(params) });
  const session = (ctx: JobRunContext<P, ModalJobResult>): Session<P> => new Session(ctx, cliFor(ctx.params), localDir(ctx), opts);
  return {
    backend: 'modal',
    run(ctx) {
      const s = session(ctx);
      const volume = opts.volume ?? DEFAULT_MODAL_VOLUME;
      const jobDir = posix.join('jobs', ctx.jobId);
      s.begin(async () => {
        const bundle = opts.bundleDir(ctx.params);
        const { files, bytes } = folderStats(bundle);
        const appFile = join(s.local, 'modal_app.py');
        writeFileSync(
          appFile,
          modalAppSource({
            appName: `vcs-job-${ctx.jobId.slice(0, 8)}`,
            volume,
            jobDir,
            gpu: opts.gpu(ctx.params),
            timeoutSeconds: Math.round(opts.timeoutMinutes(ctx.params) * 60),
            requirements: opts.requirements(),
            command: opts.trainerArgs(ctx.params),
          }),
        );
        ctx.events.progress(0, `creating the Modal volume ${volume}`);
        await ensureVolume(s.cli, volume, s.uploadSignal);
        ctx.events.progress(0.01, `uploading the bundle to Modal: ${files} files, ${bytes} bytes`);
        await putFolder(s.cli, volume, bundle, `/${jobDir}/bundle`, s.uploadSignal);
        ctx.events.progress(0.05, `bundle on the Modal volume ${volume}: ${files} files, ${bytes} bytes`);
        if (s.cancelled) return s.end(() => ctx.events.done(null, true), 'cancelled before start');
        const appId = await s.starting(async () => {
          const started = await startDetachedRun(s.cli, appFile, join(s.local, RUN_LOG));
          ctx.events.attached(JSON.stringify({ appId: started.appId, volume, jobDir } satisfies ModalRef));
          return started.appId;
        });
        await s.follow({ appId, volume, jobDir });
      });
      return s.handle();
    },
    reattach(externalRef, ctx) {
      const ref = JSON.parse(externalRef) as ModalRef;
      const s = session(ctx);
      s.begin(() => s.follow(ref));
      return s.handle();
    },
  };
}

/** One job's CLI calls and follow loop; reports exactly one outcome. */
class Session<P> {
  cancelled = false;
  private readonly uploadAbort = new AbortController();
  private readonly halt = new AbortController();
  private appId: string | null = null;
  private start: Promise<unknown> | null = null;
  private stopped = false;
  private stopSent = false;
  private metricsOffset: number;
  private lastMirror = 0;

  constructor(
    private readonly ctx: JobRunContext<P, ModalJobResult>,
    readonly cli: ModalCli,
    readonly local: string,
    private readonly opts: Pick<ModalExecutorOptions<P>, 'pollMs' | 'giveUpMs' | 'mirrorDirs' | 'onCollect'>,
  ) {
    this.metricsOffset = ctx.logOffset;
    mkdirSync(local, { recursive: true });
    // Lines mirrored after the last stored offset (a kill -9 in between) are read again, so drop them here.
    const mirror = join(local, 'metrics.jsonl');
    if (existsSync(mirror) && statSync(mirror).size > this.metricsOffset) truncateSync(mirror, this.metricsOffset);
  }

  get uploadSignal(): AbortSignal {
    return AbortSignal.any([this.uploadAbort.signal, this.halt.signal]);
  }

  get haltSignal(): AbortSignal {
    return this.halt.signal;
  }

  /** The remote start, which a detach waits for: an app that was started is always re-attachable (its ref stored). */
  starting(fn: () => Promise<string>): Promise<string> {
    const p = fn().then((id) => (this.appId = id));
    this.start = p;
    return p;
  }

  begin(work: () => Promise<void>): void {
    work().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      this.end(() => (this.cancelled && !(err instanceof ModalCliError) ? this.ctx.events.done(null, true) : this.ctx.events.failed(message)), 'modal job ended');
    });
  }

  /** Reports the outcome once and frees the slot. */
  end(report: () => void, detail: string): void {
    if (this.stopped) return;
    this.stopped = true;
    report();
    this.ctx.events.exited(detail);
  }

  async follow(ref: ModalRef): Promise<void> {
    this.appId = ref.appId;
    const file = (p: string): Promise<Buffer | null> => readVolumeFile(this.cli, ref.volume, `/${ref.jobDir}/${p}`, this.halt.signal);
    let errors = 0;
    let failingSince = 0;
    while (!this.stopped) {
      try {
        // A cancel that came while starting (or before a re-attach) is delivered here.
        if (this.cancelled && !this.stopSent) await this.stopApp();
        let exit = await file('exit');
        const state = exit ? null : await appState(this.cli, ref.appId, this.halt.signal);
        const alive = exit !== null || appAlive(state);
        // The function writes exit and commits just before it returns: look again once the app shows stopped.
        if (!exit && !alive) exit = await file('exit');
        const final = exit !== null || !alive;
        await this.readMetrics(await file('out/metrics.jsonl'), final);
        await this.mirror(await file('out/train.log'), 'train.log');
        await this.mirrorDirs(ref, final);
        if (exit) return await this.finishWith(ref, Number(exit.toString('utf8').trim()));
        if (!alive) return await this.gone(ref, state, file);
        errors = 0;
      } catch (err) {
        // A failing CLI call (network) is retried; a logged-out CLI and wrong artifacts are not.
        if (this.stopped || err instanceof ArtifactError) throw err;
        if (err instanceof ModalCliError) throw new ModalCliError(`${err.message}; the Modal app ${ref.appId} may still run (modal app stop ${ref.appId})`);
        if (errors++ === 0) failingSince = Date.now();
        if (errors >= 3 && Date.now() - failingSince >= (this.opts.giveUpMs ?? GIVE_UP_MS)) throw new Error(`lost touch with Modal (${err instanceof Error ? err.message : String(err)}); the app ${ref.appId} may still run`);
      }
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 10_000));
    }
  }

  private async tail(file: (p: string) => Promise<Buffer | null>): Promise<string> {
    const log = await file('job.log').catch(() => null);
    return (log ?? Buffer.alloc(0)).toString('utf8').trimEnd().split('\n').slice(-3).join(' | ').slice(-500);
  }

  private async finishWith(ref: ModalRef, code: number): Promise<void> {
    if (code === 0) return this.collect(ref);
    const why = `the job exited with code ${Number.isFinite(code) ? code : '?'}`;
    const tail = await this.tail((p) => readVolumeFile(this.cli, ref.volume, `/${ref.jobDir}/${p}`, this.halt.signal));
    this.end(() => (this.cancelled ? this.ctx.events.done(null, true) : this.ctx.events.failed(tail ? `${why}: ${tail}` : why)), why);
  }

  private async gone(ref: ModalRef, state: string | null, file: (p: string) => Promise<Buffer | null>): Promise<void> {
    if (this.cancelled) return this.end(() => this.ctx.events.done(null, true), 'modal app stopped');
    const runLog = join(this.local, RUN_LOG);
    const runTail = existsSync(runLog) ? redact(readFileSync(runLog, 'utf8'), this.cli.token).trimEnd().split('\n').filter((l) => /error|failed|exception/i.test(l)).slice(-2).join(' | ') : '';
    const tail = (await this.tail(file)) || runTail.slice(-500);
    const why = `the Modal app ${ref.appId} ${state === null ? 'is no longer listed' : `is ${state}`} and the job wrote no exit code (its timeout passed, or it was stopped from Modal)`;
    this.end(() => this.ctx.events.failed(tail ? `${why}: ${tail}` : why), why);
  }

  /** Whole new lines of metrics.jsonl past the stored offset become progress; the offset is stored after them. */
  private async readMetrics(all: Buffer | null, final: boolean): Promise<void> {
    if (!all || all.length <= this.metricsOffset || this.stopped) return;
    const buf = all.subarray(this.metricsOffset);
    const end = final ? buf.length : buf.lastIndexOf(0x0a) + 1;
    if (end === 0) return;
    const text = buf.subarray(0, end).toString('utf8');
    appendFileSync(join(this.local, 'metrics.jsonl'), text);
    for (const line of text.split('\n').filter((l) => l.trim())) this.ctx.events.progress(progressOf(line), line.slice(0, 300));
    this.metricsOffset += end;
    this.ctx.events.logOffset(this.metricsOffset);
  }

  /** Appends the new bytes of a volume text file to the local mirror; the mirror's size is the offset. */
  private async mirror(all: Buffer | null, name: string): Promise<void> {
    const file = join(this.local, name);
    const have = existsSync(file) ? statSync(file).size : 0;
    if (all && all.length > have && !this.stopped) appendFileSync(file, all.subarray(have));
  }

  /** Complete step-N folders of each mirrored folder, at most every few seconds and once when the job has ended. */
  private async mirrorDirs(ref: ModalRef, final: boolean): Promise<void> {
    if (!this.opts.mirrorDirs?.length || this.stopped || (!final && Date.now() - this.lastMirror < MIRROR_EVERY_MS)) return;
    this.lastMirror = Date.now();
    for (const dir of this.opts.mirrorDirs) await pullVolumeSubdirs(this.cli, ref.volume, `/${ref.jobDir}/out/${dir}`, join(this.local, dir), /^step-\d+$/, this.halt.signal);
  }

  private async collect(ref: ModalRef): Promise<void> {
    this.opts.onCollect?.(this.ctx.jobId, this.ctx.params);
    this.ctx.events.progress(0.95, 'fetching the artifacts from the Modal volume');
    const remote = await readVolumeResult(this.cli, ref.volume, `/${ref.jobDir}/out/result.json`, this.halt.signal);
    const artifactsDir = join(this.local, 'artifacts');
    await fetchVolumeArtifacts(this.cli, {
      volume: ref.volume,
      remoteOut: `/${ref.jobDir}/out`,
      result: remote,
      dest: artifactsDir,
      signal: this.halt.signal,
      onProgress: (done, total) => this.ctx.events.progress(0.95 + 0.05 * (done / Math.max(total, 1)), `fetched ${done} / ${total} artifacts`),
    });
    this.end(() => this.ctx.events.done({ appId: ref.appId, artifactsDir, files: remote.files, remote }, false), 'exit code 0');
  }

  private async stopApp(): Promise<void> {
    if (this.appId === null || this.stopSent) return;
    this.stopSent = true;
    const r = await runModal(this.cli, ['app', 'stop', this.appId]).catch((err: unknown) => ({ code: -1, stdout: Buffer.alloc(0), stderr: String(err) }));
    if (r.code !== 0) {
      this.stopSent = false;
      throw failure(r, `stopping the Modal app ${this.appId}`);
    }
  }

  handle(): JobRun {
    const stop = (): void => {
      this.cancelled = true;
      // Still uploading: stop that (nothing runs yet). Started: stop the app now (the follow loop retries a failed stop).
      this.uploadAbort.abort();
      if (this.appId !== null) void this.stopApp().catch(() => undefined);
    };
    return {
      cancel: stop,
      kill: stop,
      detach: async (graceMs) => {
        // `modal run` prints the app id before any build; a CLI that hangs before that does not hold up the app's exit.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.start?.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
        const started = this.appId !== null;
        this.stopped = true;
        this.halt.abort();
        return started;
      },
    };
  }
}
