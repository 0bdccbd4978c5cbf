/**
 * The remote job folder and the detached start: `setsid nohup` puts the work in its own session and process group,
 * so it survives the SSH connection; the wrapper writes its pid, the work's output to job.log and the exit code
 * to `exit` (tmp + mv), all in the job folder. Status is read back with one short command.
 */
import { posix } from 'node:path';
import type { Client } from 'ssh2';
import { exec, run, shq } from './ssh-remote';

export interface RemoteJobPaths {
  dir: string;
  bundle: string;
  out: string;
  metrics: string;
  trainLog: string;
  jobLog: string;
  result: string;
}

export function remoteJobPaths(workDir: string, jobId: string): RemoteJobPaths {
  const dir = posix.join(workDir, 'jobs', jobId);
  const out = posix.join(dir, 'out');
  return {
    dir,
    bundle: posix.join(dir, 'bundle'),
    out,
    metrics: posix.join(out, 'metrics.jsonl'),
    trainLog: posix.join(out, 'train.log'),
    jobLog: posix.join(dir, 'job.log'),
    result: posix.join(out, 'result.json'),
  };
}

const WRAPPER = `echo $$ > pid.tmp && mv pid.tmp pid; sh ./command.sh >>job.log 2>&1; echo $? > exit.tmp && mv exit.tmp exit`;

/** Starts the command detached and returns its process group id (= the wrapper's pid). */
export async function startDetached(client: Client, p: RemoteJobPaths, command: string): Promise<number> {
  const script = [
    `cd ${shq(p.dir)}`,
    `mkdir -p out`,
    `printf '%s\\n' ${shq(command)} > command.sh`,
    `setsid nohup sh -c ${shq(WRAPPER)} >/dev/null 2>&1 </dev/null &`,
    `i=0; while [ ! -f pid ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done`,
    `cat pid`,
  ].join('\n');
  const out = await run(client, script, 'starting the job');
  const pgid = Number(out.trim());
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`starting the job failed on the host: no pid (${out.trim().slice(0, 80)})`);
  return pgid;
}

export type RemoteState = { state: 'exited'; code: number } | { state: 'running' } | { state: 'gone' };

/** Exit file first, then the group's liveness: a wrapper that just wrote it is not mistaken for a vanished one. */
export async function remoteState(client: Client, p: RemoteJobPaths, pgid: number): Promise<RemoteState> {
  const cmd = `cd ${shq(p.dir)} || exit 9; if [ -f exit ]; then echo "exit $(cat exit)"; elif kill -s 0 -- -${pgid} 2>/dev/null; then echo running; elif [ -f exit ]; then echo "exit $(cat exit)"; else echo gone; fi`;
  const r = await exec(client, cmd);
  if (r.code === 9) return { state: 'gone' };
  const line = r.stdout.trim();
  const m = /^exit (\d+)$/.exec(line);
  if (m) return { state: 'exited', code: Number(m[1]) };
  if (line === 'running') return { state: 'running' };
  if (line === 'gone') return { state: 'gone' };
  throw new Error(`reading the job's state failed on the host: ${(r.stderr || line).trim().split('\n')[0]}`);
}

/** Signals the whole remote process group (the wrapper and everything the work started). */
export async function signalGroup(client: Client, pgid: number, sig: 'TERM' | 'KILL'): Promise<void> {
  await exec(client, `kill -s ${sig} -- -${pgid} 2>/dev/null; true`);
}
