/**
 * The one door to the user's `modal` CLI: every call is a child process whose environment alone carries the token
 * (MODAL_TOKEN_ID / MODAL_TOKEN_SECRET — never argv, files or logs), and whose failures become one clear line:
 * not installed, not logged in, or the CLI's own first error line with any token bytes masked.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { finished, type Writable } from 'node:stream';

export interface ModalToken {
  tokenId: string;
  tokenSecret: string;
}

export interface ModalCli {
  /** The executable (default `modal` on PATH). */
  bin: string;
  token?: ModalToken;
}

/** A failure of the CLI itself (missing, logged out, refused): retrying the same call cannot help. */
export class ModalCliError extends Error {}

export const NOT_INSTALLED = 'the modal CLI is not installed: pip install modal, then modal token new (or set the path to the modal executable)';
export const NOT_LOGGED_IN = 'the modal CLI is not logged in: run modal token new (or give the studio a Modal token id and secret)';

const AUTH_FAILURE = /token missing|could not authenticate|not authenticated|unauthenticated|invalid token|token (id|secret).*(invalid|not found)|modal token new|modal setup/i;

/** The child's environment: ours, with the job's token (when given) replacing any inherited one. */
export function modalEnv(token: ModalToken | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', NO_COLOR: '1', TERM: 'dumb' };
  if (token) {
    env.MODAL_TOKEN_ID = token.tokenId;
    env.MODAL_TOKEN_SECRET = token.tokenSecret;
  }
  return env;
}

/** Masks the token's bytes wherever a message might echo them. */
export function redact(text: string, token: ModalToken | undefined): string {
  let out = text;
  for (const s of [token?.tokenId, token?.tokenSecret]) if (s) out = out.split(s).join('***');
  return out;
}

export interface ModalResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs `modal <args>`; stdout goes to `sink` when given (a download), else is collected. Rejects only when the CLI could not run. */
export function runModal(cli: ModalCli, args: string[], opts: { sink?: Writable; signal?: AbortSignal } = {}): Promise<ModalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli.bin, args, { env: modalEnv(cli.token), stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    const out: Buffer[] = [];
    let err = '';
    if (opts.sink) child.stdout.pipe(opts.sink);
    else child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-64 * 1024)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new ModalCliError(`${NOT_INSTALLED} (no ${cli.bin} found)`));
      else if (e.name === 'AbortError') reject(new Error('cancelled'));
      else reject(new Error(`running the modal CLI failed: ${redact(e.message, cli.token)}`));
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      const finish = (): void => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr: redact(err, cli.token) });
      if (opts.sink) finished(opts.sink, () => finish());
      else finish();
    });
  });
}

/** The CLI's complaint in one line (the last non-empty line of its output usually names the error). */
function complaint(r: ModalResult): string {
  const lines = `${r.stderr}\n${r.stdout.toString('utf8')}`
    .split('\n')
    .map((l) => l.replace(/[│╭╰─╮╯┃]/g, '').trim())
    .filter(Boolean);
  return (lines.find((l) => /error|exception|not found|denied|invalid/i.test(l)) ?? lines.at(-1) ?? `exit code ${r.code}`).slice(0, 300);
}

/** Throws the clear line for a failed call: logged out, or what the CLI said while `what`. */
export function failure(r: ModalResult, what: string): Error {
  const text = `${r.stderr}\n${r.stdout.toString('utf8')}`;
  if (AUTH_FAILURE.test(text)) return new ModalCliError(NOT_LOGGED_IN);
  return new Error(`${what} failed: ${complaint(r)}`);
}

/** Runs a call that must succeed; returns its stdout as text. */
export async function modalOk(cli: ModalCli, args: string[], what: string, signal?: AbortSignal): Promise<string> {
  const r = await runModal(cli, args, { signal });
  if (r.code !== 0) throw failure(r, what);
  return r.stdout.toString('utf8');
}

/** The app id (`ap-…`) that `modal run` prints with the run's dashboard link. */
export function parseAppId(output: string): string | null {
  return /\b(ap-[A-Za-z0-9]{6,})\b/.exec(output)?.[1] ?? null;
}

/**
 * Starts `modal run --detach <appFile>` as its own process group writing to `logFile`, so an image build and the
 * function's spawn go on if the studio quits meanwhile; resolves with the app id as soon as the CLI prints it
 * (before any build), and `exit` with the run's exit code.
 */
export function startDetachedRun(cli: ModalCli, appFile: string, logFile: string, pollMs = 100): Promise<{ appId: string; exit: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'w');
    const child = spawn(cli.bin, ['run', '--detach', appFile], { env: modalEnv(cli.token), stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    child.unref();
    let code: number | null = null;
    const exit = new Promise<number>((res) => child.on('exit', (c, sig) => res((code = c ?? (sig ? 128 : 1)))));
    const log = (): string => redact(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '', cli.token);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(e.code === 'ENOENT' ? new ModalCliError(`${NOT_INSTALLED} (no ${cli.bin} found)`) : new Error(`running the modal CLI failed: ${redact(e.message, cli.token)}`));
    });
    const timer = setInterval(() => {
      const text = log();
      const appId = parseAppId(text);
      if (appId) {
        clearInterval(timer);
        resolve({ appId, exit });
      } else if (code !== null) {
        clearInterval(timer);
        reject(failure({ code, stdout: Buffer.from(text), stderr: '' }, 'modal run --detach'));
      }
    }, pollMs);
  });
}

/** `modal app list --json` → the app's state text (e.g. "ephemeral (detached)", "stopped"), null when it is not listed. */
export async function appState(cli: ModalCli, appId: string, signal?: AbortSignal): Promise<string | null> {
  const text = await modalOk(cli, ['app', 'list', '--json'], 'listing the Modal apps', signal);
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    throw new Error(`modal app list --json printed something that is not JSON: ${text.slice(0, 120)}`);
  }
  if (!Array.isArray(rows)) throw new Error('modal app list --json did not print a list');
  const row = (rows as Record<string, unknown>[]).find((r) => r['App ID'] === appId);
  return row ? String(row.State ?? '') : null;
}

/** States in which the app's function may still be running. */
export function appAlive(state: string | null): boolean {
  return state !== null && !/stopped|stopping|disabled|deleted|terminated/i.test(state);
}
