/**
 * "Install CUDA runtime": runs onnxruntime-node's own installer (the download npm install skips,
 * see allowScripts) in a child process, with progress from the growing download, cancel, and one
 * clear line when the download server cannot be reached.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../errors';
import { locateOrtPackage, missingFiles, cudaRuntimeFiles, type OrtPackage } from './ort-package';

export interface InstallCudaOptions {
  pkg?: OrtPackage;
  onProgress?: (value: number, message: string) => void;
  signal?: AbortSignal;
  /** Extra environment for the installer (a proxy setting, say). */
  env?: NodeJS.ProcessEnv;
}

/** Size in bytes of the newest download in the installer's scratch folder (0 while none). */
function downloadedBytes(scratch: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.nupkg')) total += statSync(path).size;
    }
  };
  try {
    walk(scratch);
  } catch {
    return total;
  }
  return total;
}

/** Total size of the package from a HEAD request (null when the server does not say). */
async function remoteSize(url: string): Promise<number | null> {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    const n = Number(res.headers.get('content-length'));
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/**
 * The environment minus npm's own variables: under `npm run` they make the installer think it is
 * onnxruntime-node's local dev install and exit 0 without downloading. ('true' forces the download
 * of this platform's manifest; 'cuda12' is ignored by parseInstallFlag in 1.30.)
 */
function installerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && !/^ONNXRUNTIME_NODE_INSTALL/i.test(k)));
}

/** One line for the installer's failure, from its output. */
export function describeInstallFailure(output: string, code: number | null): string {
  const host = /ENOTFOUND ([\w.-]+)/.exec(output)?.[1];
  if (host) return `cannot reach ${host}: the CUDA runtime download needs an internet connection (this machine looks offline)`;
  const net = /(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)[^\n]*/.exec(output)?.[0];
  if (net) return `network error while downloading the CUDA runtime: ${net.trim()}`;
  const status = /HTTP status code = (\d+)/.exec(output)?.[1];
  if (status) return `the download server answered HTTP ${status}`;
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('Error') || l.includes('Error:'))
    .at(-1);
  return last ?? `the installer exited with code ${code ?? 'unknown'}`;
}

/** Downloads the CUDA execution provider into onnxruntime-node; resolves with the installed file names. */
export async function installCudaRuntime(opts: InstallCudaOptions = {}): Promise<string[]> {
  const pkg = opts.pkg ?? locateOrtPackage();
  const files = cudaRuntimeFiles(pkg);
  if (!files) throw new StudioError('invalid-args', `onnxruntime-node has no CUDA runtime download for ${process.platform}/${process.arch}`);
  if (missingFiles(pkg.binDir, files).length === 0) return files;
  const progress = opts.onProgress ?? (() => {});
  progress(0.02, 'Looking up the CUDA runtime package…');
  const scratch = mkdtempSync(join(tmpdir(), 'studio-cuda-'));
  const env = { ...installerEnv(process.env), ...opts.env, ONNXRUNTIME_NODE_INSTALL: 'true', TMPDIR: scratch, TMP: scratch, TEMP: scratch };
  const child = spawn(process.execPath, [pkg.installer], { cwd: pkg.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let total: number | null = null;
  const onLine = (text: string): void => {
    output += text;
    const url = /Downloading (https?:\/\/\S+)/.exec(text)?.[1];
    if (url) void remoteSize(url).then((n) => (total = n));
    if (/Extracting/.test(text)) progress(0.93, 'Unpacking the CUDA runtime…');
  };
  child.stdout.setEncoding('utf8').on('data', onLine);
  child.stderr.setEncoding('utf8').on('data', onLine);
  const ticker = setInterval(() => {
    const bytes = downloadedBytes(scratch);
    if (bytes === 0) return;
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    if (total) progress(0.05 + 0.85 * Math.min(1, bytes / total), `Downloading the CUDA runtime: ${mb(bytes)} of ${mb(total)}`);
    else progress(0.3, `Downloading the CUDA runtime: ${mb(bytes)}`);
  }, 500);
  const onAbort = (): void => void child.kill('SIGTERM');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (opts.signal?.aborted) throw new StudioError('failed', 'CUDA runtime install cancelled');
    if (code !== 0) throw new StudioError('failed', `Could not install the CUDA runtime: ${describeInstallFailure(output, code)}`);
    const still = missingFiles(pkg.binDir, files);
    if (still.length > 0) throw new StudioError('failed', `The CUDA runtime installer finished but ${still.join(', ')} is missing`);
    progress(1, 'CUDA runtime installed');
    return files;
  } finally {
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onAbort);
    rmSync(scratch, { recursive: true, force: true });
  }
}
