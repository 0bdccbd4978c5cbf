/**
 * "Install CUDA runtime" runs onnxruntime-node's own installer, unmodified, in a child process against a
 * scratch copy of the package. The NuGet feed is the one stand-in (tests/support/nuget-stand-in.ts):
 * the real one cannot be reached from here. Offline and cancel are real failures of the real installer.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installCudaRuntime } from '../../src/main/runtime/install-cuda-runtime';
import { cudaRuntimeFiles } from '../../src/main/runtime/ort-package';
import { defaultProbeEnvironment, providerStatus } from '../../src/main/runtime/provider-status';
import { REPO_ROOT } from '../e2e/support/paths';
import { startNugetStandIn, type NugetStandIn } from '../support/nuget-stand-in';
import { scratchOrtPackage } from '../support/ort-scratch';

const NODE_PATH = join(REPO_ROOT, 'node_modules');
const ORT_VERSION = JSON.parse(readFileSync(join(NODE_PATH, 'onnxruntime-node', 'package.json'), 'utf8')).version as string;
const hasCudaDownload = cudaRuntimeFiles(scratchOrtPackage()) !== null;
const scratches: { root: string }[] = [];
let feed: NugetStandIn | null = null;

function scratch() {
  const pkg = scratchOrtPackage();
  scratches.push(pkg);
  return pkg;
}

afterEach(async () => {
  await feed?.close();
  feed = null;
  for (const s of scratches.splice(0)) rmSync(s.root, { recursive: true, force: true });
});

describe.skipIf(!hasCudaDownload)(`CUDA runtime install (${process.platform}/${process.arch})`, () => {
  it('downloads the package through the real installer, reports progress and installs every provider file', async () => {
    const pkg = scratch();
    const files = cudaRuntimeFiles(pkg) as string[];
    const payload = (f: string) => Buffer.concat([Buffer.from(`${f}\n`), Buffer.alloc(1_500_000, 7)]);
    feed = await startNugetStandIn({
      packageName: 'Microsoft.ML.OnnxRuntime.Gpu.Linux',
      version: ORT_VERSION,
      files: Object.fromEntries(files.map((f) => [`runtimes/linux-x64/native/${f}`, payload(f)])),
      chunks: 12,
      chunkDelayMs: 150,
    });
    const progress: string[] = [];
    const installed = await installCudaRuntime({ pkg, env: { ...feed.env, NODE_PATH }, onProgress: (_v, m) => progress.push(m) });
    expect(installed.sort()).toEqual([...files].sort());
    for (const f of files) expect(readFileSync(join(pkg.binDir, f)).subarray(0, f.length + 1).toString()).toBe(`${f}\n`);
    expect(progress.some((m) => /^Downloading the CUDA runtime: \d+ MB/.test(m))).toBe(true);
    expect(progress.at(-1)).toBe('CUDA runtime installed');
    expect(feed.requests).toContain('GET /v3/index.json');
    // Afterwards the status no longer asks for the download (no driver here: the stand-in check says so).
    const status = await providerStatus('cuda', { ...defaultProbeEnvironment(), pkg, driver: () => ({ found: false }) });
    expect(status.runtime?.installed).toBe(true);
    expect(status.reason).not.toMatch(/not downloaded/);
  });

  it('offline: fails with one line naming the unreachable host, installs nothing', async () => {
    const pkg = scratch();
    // .invalid never resolves (RFC 2606), so this is a real DNS failure on any machine, online or not.
    const env = { GLOBAL_AGENT_HTTPS_PROXY: 'http://studio-offline.invalid:3128', NODE_PATH };
    await expect(installCudaRuntime({ pkg, env })).rejects.toThrow(
      /^Could not install the CUDA runtime: cannot reach studio-offline\.invalid: the CUDA runtime download needs an internet connection/,
    );
    expect(cudaRuntimeFiles(pkg)?.every((f) => !readFileSafe(join(pkg.binDir, f)))).toBe(true);
  });

  it('cancel stops a download that hangs', async () => {
    const pkg = scratch();
    feed = await startNugetStandIn({ packageName: 'Microsoft.ML.OnnxRuntime.Gpu.Linux', version: ORT_VERSION, files: { 'x.txt': Buffer.from('x') }, hang: true });
    const controller = new AbortController();
    const started = Date.now();
    const pending = installCudaRuntime({ pkg, env: { ...feed.env, NODE_PATH }, signal: controller.signal }).catch((err: unknown) => err);
    await expect.poll(() => feed?.requests.some((r) => r.endsWith('.nupkg')), { timeout: 20_000 }).toBe(true);
    controller.abort();
    expect(String(await pending)).toMatch(/CUDA runtime install cancelled/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

function readFileSafe(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}
