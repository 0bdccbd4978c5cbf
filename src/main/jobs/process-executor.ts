/**
 * Runs a job's work as a detached child process that outlives the studio (closed, crashed or kill -9'd): output goes
 * to a log file, the exit code to a file written by a tiny shell wrapper, the result to a JSON file. A later process
 * re-attaches by polling those files from the stored log offset; nothing is started again.
 * Child protocol: stdout lines `@progress <0..1> <message>`; the result as JSON in $STUDIO_JOB_RESULT.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { JobExecutor, JobRun, JobRunContext } from './job-kind';
import { isProcessAlive, processStartTime } from '../system/process-identity';

export interface ProcessCommand {
  file: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface ProcessExecutorOptions<P> {
  command(params: P, jobId: string, workspaceRoot: string): ProcessCommand;
  /** Where logs, exit codes and results live (default: <workspace>/job-runs). */
  stateDir?(workspaceRoot: string): string;
  pollMs?: number;
  /** Lines of the log's end a failed job's error quotes (default 3; a trainer's traceback needs ~20). */
  errorTailLines?: number;
}

/** What the jobs table stores to find the work again. */
interface ProcessRef {
  pid: number;
  started: string | null;
  log: string;
  exit: string;
  result: string;
}

// Runs the command with its output appended to the log, then publishes the exit code atomically (tmp + mv).
const CHUNK = 1 << 20;
const WRAPPER = '"$@" >>"$STUDIO_JOB_LOG" 2>&1; echo $? >"$STUDIO_JOB_EXIT.tmp" && mv "$STUDIO_JOB_EXIT.tmp" "$STUDIO_JOB_EXIT"';

export function processExecutor<P, R>(opts: ProcessExecutorOptions<P>): JobExecutor<P, R> {
  const pollMs = opts.pollMs ?? 500;
  return {
    backend: 'process',
    run(ctx) {
      const dir = opts.stateDir?.(ctx.workspaceRoot) ?? join(ctx.workspaceRoot, 'job-runs');
      mkdirSync(dir, { recursive: true });
      const base = join(dir, ctx.jobId);
      const files = { log: `${base}.log`, exit: `${base}.exit`, result: `${base}.result.json` };
      const cmd = opts.command(ctx.params, ctx.jobId, ctx.workspaceRoot);
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'studio-job', cmd.file, ...cmd.args], {
        cwd: cmd.cwd,
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, ...cmd.env, STUDIO_JOB_LOG: files.log, STUDIO_JOB_EXIT: files.exit, STUDIO_JOB_RESULT: files.result },
      });
      child.unref();
      if (child.pid === undefined) throw new Error(`could not start ${cmd.file}`);
      const ref: ProcessRef = { pid: child.pid, started: processStartTime(child.pid), ...files };
      ctx.events.attached(JSON.stringify(ref));
      return follow(ref, ctx, pollMs, opts.errorTailLines ?? 3);
    },
    reattach(externalRef, ctx) {
      return follow(JSON.parse(externalRef) as ProcessRef, ctx, pollMs, opts.errorTailLines ?? 3);
    },
  };
}

/** Polls the log from ctx.logOffset and the exit file until the work ends or this process detaches. */
function follow<P, R>(ref: ProcessRef, ctx: JobRunContext<P, R>, pollMs: number, tailLines: number): JobRun {
  let offset = ctx.logOffset;
  let stopped = false;
  let cancelled = false;
  const { events } = ctx;

  const readNewLines = (final: boolean): void => {
    if (!existsSync(ref.log)) return;
    const fd = openSync(ref.log, 'r');
    try {
      const size = fstatSync(fd).size;
      while (size > offset) {
        const buf = Buffer.alloc(Math.min(size - offset, CHUNK));
        readSync(fd, buf, 0, buf.length, offset);
        // Only whole lines, unless the work ended or one line fills a whole chunk.
        const whole = buf.lastIndexOf(0x0a) + 1;
        const end = final || (whole === 0 && buf.length === CHUNK) ? buf.length : whole;
        if (end === 0) return;
        for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
          const m = /^@progress (\S+) ?(.*)$/.exec(line);
          if (m && Number.isFinite(Number(m[1]))) events.progress(Math.min(1, Math.max(0, Number(m[1]))), m[2]);
        }
        offset += end;
        events.logOffset(offset);
      }
    } finally {
      closeSync(fd);
    }
  };

  const finish = (): void => {
    stopped = true;
    clearInterval(timer);
  };

  const poll = (): void => {
    if (stopped) return;
    try {
      const exited = existsSync(ref.exit);
      if (!exited && isProcessAlive(ref.pid, ref.started)) return readNewLines(false);
      // Exit file first, then liveness: a wrapper that just wrote it is not mistaken for a vanished one.
      if (!exited && !existsSync(ref.exit)) {
        readNewLines(true);
        finish();
        if (cancelled) events.done(null, true);
        else events.failed(`the job's process (pid ${ref.pid}) vanished without an exit code`);
        return events.exited('process gone');
      }
      readNewLines(true);
      finish();
      const code = Number(readFileSync(ref.exit, 'utf8').trim());
      if (code === 0 && existsSync(ref.result)) events.done(JSON.parse(readFileSync(ref.result, 'utf8')) as R, false);
      else if (cancelled) events.done(null, true);
      else events.failed(code === 0 ? 'the job process exited without writing its result' : `the job process exited with code ${code}${tail(ref.log, tailLines)}`);
      events.exited(`exit code ${code}`);
    } catch (err) {
      finish();
      events.failed(err instanceof Error ? err.message : String(err));
      events.exited('follow failed');
    }
  };

  const timer = setInterval(poll, pollMs);
  setImmediate(poll);
  const signal = (sig: NodeJS.Signals): void => {
    if (!isProcessAlive(ref.pid, ref.started)) return;
    try {
      process.kill(-ref.pid, sig); // the whole detached group: wrapper and work
    } catch {
      // Already gone.
    }
  };
  return {
    cancel: () => {
      cancelled = true;
      signal('SIGTERM');
    },
    kill: () => {
      cancelled = true;
      signal('SIGKILL');
    },
    detach: async () => {
      finish();
      return true;
    },
  };
}

/** The last lines of a failed job's log, for its error message. */
function tail(log: string, count: number): string {
  if (!existsSync(log)) return '';
  const last = readFileSync(log, 'utf8').trimEnd().split('\n').filter((l) => count <= 3 || !l.startsWith('@progress ')).slice(-count);
  if (last.length === 0) return '';
  return count <= 3 ? `: ${last.join(' | ').slice(-500)}` : `:\n${last.join('\n').slice(-4000)}`;
}
