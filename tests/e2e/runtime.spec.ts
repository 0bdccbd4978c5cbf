/**
 * The GPU runtime panel as a user sees it at 1280×720: each provider with a plain state, the runtime's
 * own message behind "details", and "Install CUDA runtime" running onnxruntime-node's installer as a
 * job that fails offline with one clear line. (A proxy host that never resolves makes the download
 * fail the same way on any machine.) No ONNX Runtime stack text in the list or the new-eval form.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cudaRuntimeFiles, locateOrtPackage, missingFiles } from '../../src/main/runtime/ort-package';
import { asset } from '../support/assets';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const STACKY = /onnxruntime_src|::|\.cc:\d+/;
const cudaFiles = cudaRuntimeFiles(locateOrtPackage());
const cudaMissing = cudaFiles !== null && missingFiles(locateOrtPackage().binDir, cudaFiles).length > 0;

describe('GPU runtime panel (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  const savedProxy = process.env.GLOBAL_AGENT_HTTPS_PROXY;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `runtime-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    process.env.GLOBAL_AGENT_HTTPS_PROXY = 'http://studio-offline.invalid:3128';
    tmp = mkdtempSync(join(tmpdir(), 'vcs-runtime-e2e-'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'ws'), seedSample: true, viewport: { width: 1280, height: 720 } });
    await studio.page.getByTestId('dataset-title').waitFor();
  });

  afterAll(async () => {
    if (savedProxy === undefined) delete process.env.GLOBAL_AGENT_HTTPS_PROXY;
    else process.env.GLOBAL_AGENT_HTTPS_PROXY = savedProxy;
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lists cpu, cuda and webgpu with plain states and keeps the raw message behind details', async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    const panel = page.getByTestId('runtime-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('provider').count()).toBe(3);
    const cpu = panel.locator('[data-testid="provider"][data-device="cpu"]');
    expect(await cpu.getAttribute('data-state')).toBe('available');
    expect(await cpu.getByTestId('provider-state').textContent()).toBe('available');
    const cuda = panel.locator('[data-testid="provider"][data-device="cuda"]');
    const cudaState = await cuda.getAttribute('data-state');
    expect(['no-driver', 'needs-runtime', 'available', 'failed', 'unsupported']).toContain(cudaState);
    if (cudaState === 'no-driver') expect(await cuda.getByTestId('provider-state').textContent()).toBe('no NVIDIA driver found');
    if (cudaState === 'needs-runtime') expect(await cuda.getByTestId('provider-state').textContent()).toBe('needs the CUDA runtime download');
    for (const reason of await panel.getByTestId('provider-reason').allTextContents()) expect(reason).not.toMatch(STACKY);
    await shot('01-panel');
    const webgpu = panel.locator('[data-testid="provider"][data-device="webgpu"]');
    if ((await webgpu.getAttribute('data-state')) === 'failed') {
      await webgpu.locator('summary').click();
      expect(await webgpu.getByTestId('provider-details').textContent()).toMatch(/WebGPU/);
      await shot('02-details');
    }
  });

  it.skipIf(!cudaMissing)('Install CUDA runtime runs as a job and fails offline with one clear line', async () => {
    const { page } = studio;
    const panel = page.getByTestId('runtime-panel');
    await panel.getByTestId('runtime-install').click();
    const error = panel.getByTestId('runtime-install-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/Install failed\. Could not install the CUDA runtime: cannot reach studio-offline\.invalid: the CUDA runtime download needs an internet connection/);
    const job = page.locator('[data-testid="job"][data-status="failed"]');
    await expect.poll(() => job.count()).toBeGreaterThan(0);
    expect(await job.first().textContent()).toMatch(/GPU runtime/);
    await expect.poll(() => panel.locator('[data-testid="provider"][data-device="cuda"]').getAttribute('data-state')).not.toBe('available');
    await shot('03-install-offline');
  });

  it('the new-eval form names unavailable devices in plain words', async () => {
    const { page, core } = studio;
    const call = (channel: string, args: unknown) => (core.handlers as unknown as Record<string, (a: unknown) => Promise<unknown>>)[channel](args);
    const [dataset] = (await call('datasets:list', {})) as { id: number }[];
    await call('splits:assign', { datasetId: dataset.id, seed: 23, ratios: { train: 0.8, val: 0.1, test: 0.1 } });
    await call('versions:create', { datasetId: dataset.id, name: 'v1', note: '' });
    await call('models:register', { path: asset('models', 'mobilenetv2-12-int8'), name: 'mobilenet' });
    await page.reload();
    await page.getByTestId('section-evals').click();
    await page.getByTestId('eval-new-open').click();
    const select = page.getByTestId('eval-device');
    await select.waitFor();
    await expect.poll(() => select.locator('option').count()).toBe(3);
    const options = await select.locator('option').allTextContents();
    expect(options[0]).toBe('cpu');
    for (const o of options) expect(o).not.toMatch(STACKY);
    const cudaState = (await call('system:devices', { refresh: false })) as { device: string; available: boolean }[];
    if (!cudaState.find((d) => d.device === 'cuda')?.available) expect(options[1]).toMatch(/^cuda — (no NVIDIA driver found|needs the CUDA runtime download|failed|not supported)/);
    const notes = await page.getByTestId('eval-device-notes').textContent();
    expect(notes).not.toMatch(STACKY);
    await shot('04-new-eval-devices');
  });
});
