/**
 * Runs a job on an SSH host behind the same run/reattach/cancel/detach interface as the process executor: uploads
 * the bundle (only missing blobs, resumable), starts the work detached on the host, follows metrics.jsonl by the
 * stored byte offset (progress) and train.log into a local mirror, then fetches and sha256-verifies the artifacts.
 * The stored reference holds the host (no secrets) and the remote process group, so a later studio re-attaches.
 */
import { appendFileSync, existsSync, mkdirSync, statSync, truncateSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Client, SFTPWrapper } from 'ssh2';
import { sshPassphraseName } from '../../shared/secret-names';
import type { SshHost } from '../../shared/ssh-types';
import type { JobExecutor, JobRun, JobRunContext } from '../jobs/job-kind';
import { ArtifactError, fetchArtifacts, readRemoteResult, type RemoteResult } from './artifact-fetch';
import { bundleManifest, uploadBundle } from './bundle-upload';
import { mirrorCompleteDirs } from './dir-pull';
import { progressOf } from './metric-progress';
import { remoteJobPaths, remoteState, signalGroup, startDetached, type RemoteJobPaths, type RemoteState } from './remote-job';
import { connect } from './ssh-connect';
import { openSftp, readFrom } from './ssh-remote';

export type SshTarget = Pick<SshHost, 'id' | 'host' | 'port' | 'username' | 'keyPath' | 'workDir'>;

export interface SshJobResult {
  hostId: number;
  /** Local folder with the verified artifacts and result.json. */
  artifactsDir: string;
  files: Record<string, string>;
  remote: RemoteResult;
}

export interface SshExecutorOptions<P> {
  host(params: P): SshTarget;
  /** Local folder copied to the host as the job's ./bundle. */
  bundleDir(params: P): string;
  /** Shell command run in the remote job folder: inputs in ./bundle; it writes out/metrics.jsonl, out/train.log, out/result.json. */
  command(params: P): string;
  /** The key's passphrase, from the caller's memory (never in params, the jobs table, logs or the bundle); unset or
   *  undefined: the job's `ssh-passphrase:<hostId>` secret (given with the job, else the keychain / STUDIO_SECRET_*). */
  passphrase?(params: P): string | undefined;
  knownHostsFile(workspaceRoot: string): string;
  /** Local mirror of logs and the fetched artifacts (default <workspace>/job-runs/<jobId>). */
  stateDir?(workspaceRoot: string, jobId: string): string;
  pollMs?: number;
  /** How long an unreachable host is retried before the job fails (default 2 min). */
  giveUpMs?: number;
  /** Turns one metrics.jsonl line into progress (default: step / max_steps, the raw line as the message). */
  metricProgress?(line: string, params: P): { value: number; message: string } | null;
  /** Folders under out/ whose complete step-N subfolders are mirrored into the local folder while the work runs (e.g. checkpoints). */
  mirrorDirs?: string[];
  /** Lines of job.log's end a failed job's error quotes (default 3). */
  errorTailLines?: number;
  /** The work ended well and its artifacts are about to be fetched. */
  onCollect?(jobId: string, params: P): void;
}

interface SshRef { host: SshTarget; pgid: number }

const CHUNK = 1 << 20;
const MIRROR_EVERY_MS = 3_000;
/** A host unreachable for this long (and at least 3 tries) fails the job; the work itself may still run there. */
const GIVE_UP_MS = 120_000;

export function sshExecutor<P>(opts: SshExecutorOptions<P>): JobExecutor<P, SshJobResult> {
  const localDir = (ctx: JobRunContext<P, SshJobResult>): string =>
    opts.stateDir?.(ctx.workspaceRoot, ctx.jobId) ?? join(ctx.workspaceRoot, 'job-runs', ctx.jobId);
  const open = async (host: SshTarget, ctx: JobRunContext<P, SshJobResult>): Promise<{ client: Client; sftp: SFTPWrapper }> => {
    // The kind's own answer first, else the job's secret (the value given with the job, then the keychain) — read at each connect.
    const passphrase = opts.passphrase?.(ctx.params) ?? ctx.secret?.(sshPassphraseName(host.id));
    const client = await connect(host, { knownHostsFile: opts.knownHostsFile(ctx.workspaceRoot), passphrase });
    try {
      return { client, sftp: await openSftp(client) };
    } catch (err) {
      client.end();
      throw err;
    }
  };
  return {
    backend: 'ssh',
    run(ctx) {
      const host = opts.host(ctx.params);
      const session = new Session(ctx, localDir(ctx), opts);
      session.begin(async () => {
        const conn = await session.use(await open(host, ctx));
        const paths = remoteJobPaths(host.workDir, ctx.jobId);
        ctx.events.progress(0, 'checking the bundle');
        const manifest = await bundleManifest(opts.bundleDir(ctx.params));
        const stats = await uploadBundle(conn.client, conn.sftp, {
          localDir: opts.bundleDir(ctx.params),
          manifest,
          workDir: host.workDir,
          jobBundleDir: paths.bundle,
          signal: session.abort.signal,
          onProgress: (sent, total) => ctx.events.progress(0.05 * (sent / Math.max(total, 1)), `uploading the bundle: ${sent} / ${total} bytes`),
        });
        ctx.events.progress(0.05, `bundle on the host: ${stats.files} files, ${stats.reused} already there, ${stats.sentBytes} bytes sent`);
        if (session.cancelled) return session.end(() => ctx.events.done(null, true), 'cancelled before start');
        const pgid = await session.starting(async () => {
          const started = await startDetached(conn.client, paths, opts.command(ctx.params));
          ctx.events.attached(JSON.stringify({ host, pgid: started } satisfies SshRef));
          return started;
        });
        await session.follow(host, paths, pgid);
      });
      session.reconnect = () => open(host, ctx);
      return session.handle();
    },
    reattach(externalRef, ctx) {
      const ref = JSON.parse(externalRef) as SshRef;
      const session = new Session(ctx, localDir(ctx), opts);
      session.reconnect = () => open(ref.host, ctx);
      // The first connection goes through the follow loop's retries: a host that is briefly down at start-up is waited for.
      session.begin(() => session.follow(ref.host, remoteJobPaths(ref.host.workDir, ctx.jobId), ref.pgid));
      return session.handle();
    },
  };
}

/** One job's connection and follow loop; reports exactly one outcome. */
class Session<P> {
  readonly abort = new AbortController();
  cancelled = false;
  reconnect: (() => Promise<{ client: Client; sftp: SFTPWrapper }>) | null = null;
  private conn: { client: Client; sftp: SFTPWrapper } | null = null;
  private pgid: number | null = null;
  private start: Promise<unknown> | null = null;
  private stopped = false;
  private metricsOffset: number;
  private mirroredAt = 0;
  private readonly pollMs: number;
  private readonly giveUpMs: number;

  constructor(
    private readonly ctx: JobRunContext<P, SshJobResult>,
    private readonly local: string,
    private readonly opts: SshExecutorOptions<P>,
  ) {
    this.pollMs = opts.pollMs ?? 500;
    this.giveUpMs = opts.giveUpMs ?? GIVE_UP_MS;
    this.metricsOffset = ctx.logOffset;
    mkdirSync(local, { recursive: true });
    // Lines mirrored after the last stored offset (a kill -9 in between) are read again, so drop them here.
    const mirror = join(local, 'metrics.jsonl');
    if (existsSync(mirror) && statSync(mirror).size > this.metricsOffset) truncateSync(mirror, this.metricsOffset);
  }

  use(conn: { client: Client; sftp: SFTPWrapper }): { client: Client; sftp: SFTPWrapper } {
    if (this.stopped) conn.client.end();
    this.conn = conn;
    return conn;
  }

  /** The remote start, which a detach waits for: work started on the host is always re-attachable (its ref stored). */
  starting(fn: () => Promise<number>): Promise<number> {
    const p = fn().then((pgid) => (this.pgid = pgid));
    this.start = p;
    return p;
  }

  begin(work: () => Promise<void>): void {
    work().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      this.end(() => (this.cancelled ? this.ctx.events.done(null, true) : this.ctx.events.failed(message)), 'ssh job ended');
    });
  }

  /** Reports the outcome once, closes the connection and frees the slot. */
  end(report: () => void, detail: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.conn?.client.end();
    report();
    this.ctx.events.exited(detail);
  }

  async follow(host: SshTarget, paths: RemoteJobPaths, pgid: number): Promise<void> {
    this.pgid = pgid;
    let errors = 0;
    let failingSince = 0;
    let termSent = false;
    while (!this.stopped) {
      try {
        const conn = this.conn ?? this.use(await this.requireReconnect());
        // A cancel that came while starting or reconnecting is delivered here.
        if (this.cancelled && !termSent) {
          await signalGroup(conn.client, pgid, 'TERM');
          termSent = true;
        }
        const state = await remoteState(conn.client, paths, pgid);
        await this.readMetrics(conn.sftp, paths.metrics, state.state !== 'running');
        await this.mirror(conn.sftp, paths.trainLog, 'train.log');
        await this.mirrorFolders(conn.client, conn.sftp, paths, state.state !== 'running');
        if (state.state !== 'running') return await this.finishWith(conn.sftp, host, paths, state);
        errors = 0;
      } catch (err) {
        // A dropped connection is retried (the work goes on on the host; a fetch resumes); wrong artifacts are not.
        if (this.stopped || err instanceof ArtifactError) throw err;
        this.conn?.client.end();
        this.conn = null;
        if (errors++ === 0) failingSince = Date.now();
        if (errors >= 3 && Date.now() - failingSince >= this.giveUpMs) throw new Error(`lost the SSH host ${host.host}:${host.port} (${err instanceof Error ? err.message : String(err)}); the job may still run there`);
      }
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  private async finishWith(sftp: SFTPWrapper, host: SshTarget, paths: RemoteJobPaths, state: Exclude<RemoteState, { state: 'running' }>): Promise<void> {
    if (state.state === 'exited' && state.code === 0) return this.collect(sftp, host, paths);
    const why = state.state === 'gone' ? 'the job vanished on the host without an exit code' : `the job exited with code ${state.code}`;
    const log = await readFrom(sftp, paths.jobLog, 0, 1 << 20).catch(() => Buffer.alloc(0));
    const count = this.opts.errorTailLines ?? 3;
    const lines = log.toString('utf8').trimEnd().split('\n').slice(-count);
    const tail = count <= 3 ? lines.join(' | ').slice(-500) : lines.join('\n').slice(-4000);
    this.end(() => (this.cancelled ? this.ctx.events.done(null, true) : this.ctx.events.failed(tail ? `${why}:${count <= 3 ? ' ' : '\n'}${tail}` : why)), why);
  }

  private async requireReconnect(): Promise<{ client: Client; sftp: SFTPWrapper }> {
    if (!this.reconnect) throw new Error('no connection');
    return this.reconnect();
  }

  /** Whole new lines of metrics.jsonl from the stored offset become progress; the offset is stored after each chunk. */
  private async readMetrics(sftp: SFTPWrapper, path: string, final: boolean): Promise<void> {
    for (;;) {
      const buf = await readFrom(sftp, path, this.metricsOffset, CHUNK);
      const whole = buf.lastIndexOf(0x0a) + 1;
      const end = final || (whole === 0 && buf.length === CHUNK) ? buf.length : whole;
      if (end === 0 || this.stopped) return;
      const text = buf.subarray(0, end).toString('utf8');
      appendFileSync(join(this.local, 'metrics.jsonl'), text);
      for (const line of text.split('\n').filter((l) => l.trim())) {
        const custom = this.opts.metricProgress?.(line, this.ctx.params);
        if (custom) this.ctx.events.progress(custom.value, custom.message);
        else if (!this.opts.metricProgress) this.ctx.events.progress(progressOf(line), line.slice(0, 300));
      }
      this.metricsOffset += end;
      this.ctx.events.logOffset(this.metricsOffset);
    }
  }

  /** Appends a remote text file's new bytes to the local mirror; the mirror's size is the offset. */
  private async mirror(sftp: SFTPWrapper, path: string, name: string): Promise<void> {
    const file = join(this.local, name);
    const have = existsSync(file) ? statSync(file).size : 0;
    const buf = await readFrom(sftp, path, have, CHUNK);
    if (buf.length > 0) appendFileSync(file, buf);
  }

  /** Best effort, every few seconds and once at the end: a checkpoint the host prunes mid-copy is fetched no more; the loop goes on. */
  private async mirrorFolders(client: Client, sftp: SFTPWrapper, paths: RemoteJobPaths, final: boolean): Promise<void> {
    if (!final && Date.now() - this.mirroredAt < MIRROR_EVERY_MS) return;
    this.mirroredAt = Date.now();
    for (const dir of this.opts.mirrorDirs ?? []) {
      try {
        await mirrorCompleteDirs(client, sftp, posix.join(paths.out, dir), join(this.local, dir));
      } catch {
        // Retried at the next poll.
      }
    }
  }

  private async collect(sftp: SFTPWrapper, host: SshTarget, paths: RemoteJobPaths): Promise<void> {
    this.opts.onCollect?.(this.ctx.jobId, this.ctx.params);
    this.ctx.events.progress(0.95, 'fetching the artifacts');
    const remote = await readRemoteResult(sftp, paths.result);
    const artifactsDir = join(this.local, 'artifacts');
    await fetchArtifacts(sftp, {
      remoteOut: paths.out,
      result: remote,
      dest: artifactsDir,
      onProgress: (done, total, bytes) => this.ctx.events.progress(0.95 + 0.05 * (done / Math.max(total, 1)), `fetched ${done} / ${total} artifacts, ${bytes} bytes`),
    });
    this.end(() => this.ctx.events.done({ hostId: host.id, artifactsDir, files: remote.files, remote }, false), 'exit code 0');
  }

  private async signal(sig: 'TERM' | 'KILL'): Promise<void> {
    if (this.pgid !== null && this.conn) await signalGroup(this.conn.client, this.pgid, sig).catch(() => undefined);
  }

  handle(): JobRun {
    return {
      cancel: () => {
        this.cancelled = true;
        this.abort.abort();
        // Still uploading: stop it (it resumes next time). Starting: the follow sends TERM once the group is known.
        if (this.start === null) this.conn?.client.end();
        void this.signal('TERM');
      },
      kill: () => {
        this.cancelled = true;
        void this.signal('KILL');
      },
      detach: async () => {
        await this.start?.catch(() => undefined);
        const started = this.pgid !== null;
        this.stopped = true;
        this.conn?.client.end();
        return started;
      },
    };
  }
}
