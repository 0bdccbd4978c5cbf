/**
 * Execution-provider status in plain language: real probes on this machine's onnxruntime-node, the real
 * install metadata (in a scratch copy of the package), and ONNX Runtime's real error texts. The NVIDIA
 * driver is the one stand-in (no GPU here): `driver` is injected as found / not found.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOrtError } from '../../src/main/runtime/describe-ort-error';
import { cudaRuntimeFiles } from '../../src/main/runtime/ort-package';
import { defaultProbeEnvironment, detectDevices, providerStatus, type ProbeEnvironment } from '../../src/main/runtime/provider-status';
import { PROVIDER_STATES } from '../../src/shared/runtime-types';
import { scratchOrtPackage } from '../support/ort-scratch';

const pkg = scratchOrtPackage('linux', 'x64');
afterAll(() => rmSync(pkg.root, { recursive: true, force: true }));

/** The real probe, a scratch package, and a stand-in driver check. */
function env(driverFound: boolean, overrides: Partial<ProbeEnvironment> = {}): ProbeEnvironment {
  return { ...defaultProbeEnvironment(), platform: 'linux', arch: 'x64', pkg, driver: () => ({ found: driverFound }), ...overrides };
}

const STACKY = /onnxruntime_src|::|\.cc:\d+|\bat \w+ \(/;

describe('provider status', () => {
  it('reads the CUDA files its installer would add from onnxruntime-node’s own metadata', () => {
    expect(cudaRuntimeFiles(pkg, 'linux', 'x64')).toEqual(
      expect.arrayContaining(['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']),
    );
    expect(cudaRuntimeFiles(pkg, 'darwin', 'arm64')).toBeNull();
  });

  it('CPU is available through a real probe session', async () => {
    const cpu = await providerStatus('cpu', env(false));
    expect(cpu).toMatchObject({ device: 'cpu', available: true, state: 'available' });
  });

  it('CUDA without a driver says "no NVIDIA driver" and offers the runtime download', async () => {
    const cuda = await providerStatus('cuda', env(false));
    expect(cuda.state).toBe('no-driver');
    expect(cuda.available).toBe(false);
    expect(cuda.reason).toMatch(/NVIDIA GPU and its driver/);
    expect(cuda.reason).toMatch(/not downloaded either/);
    expect(cuda.runtime).toMatchObject({ name: 'cuda', installed: false, installable: true });
    expect(cuda.runtime?.missing).toContain('libonnxruntime_providers_cuda.so');
  });

  it('CUDA with a driver but no runtime files says it needs the runtime download', async () => {
    const cuda = await providerStatus('cuda', env(true));
    expect(cuda.state).toBe('needs-runtime');
    expect(cuda.reason).toMatch(/download the CUDA runtime/);
    expect(cuda.details).toContain('libonnxruntime_providers_cuda.so');
  });

  it('CUDA with driver and files that cannot load reports the real ONNX Runtime failure in one plain line', async () => {
    for (const f of cudaRuntimeFiles(pkg, 'linux', 'x64') ?? []) writeFileSync(join(pkg.binDir, f), 'not a shared library');
    try {
      // The probe runs on the real onnxruntime-node, whose CUDA provider cannot load on this machine.
      const cuda = await providerStatus('cuda', env(true));
      expect(cuda.state).toBe('failed');
      expect(cuda.runtime?.installed).toBe(true);
      expect(cuda.reason).not.toMatch(STACKY);
      expect(cuda.details?.length).toBeGreaterThan(0);
    } finally {
      for (const f of cudaRuntimeFiles(pkg, 'linux', 'x64') ?? []) rmSync(join(pkg.binDir, f), { force: true });
    }
  });

  it('macOS has no CUDA: unsupported, no install offered', async () => {
    const cuda = await providerStatus('cuda', env(false, { platform: 'darwin', arch: 'arm64' }));
    expect(cuda).toMatchObject({ state: 'unsupported', available: false });
    expect(cuda.runtime).toBeUndefined();
  });

  it('the device list on this machine has a state for each provider and no stack text', async () => {
    const devices = await detectDevices();
    expect(devices.map((d) => d.device)).toEqual(['cpu', 'cuda', 'webgpu']);
    for (const d of devices) {
      expect(PROVIDER_STATES).toContain(d.state);
      expect(d.reason ?? '').not.toMatch(STACKY);
    }
    expect(devices[0].available).toBe(true);
  });
});

describe('describeOrtError', () => {
  it('maps the runtime’s real messages to one line and keeps the full text as details', () => {
    const webgpu =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters';
    expect(describeOrtError(new Error(webgpu))).toEqual({ summary: expect.stringMatching(/^no WebGPU adapter/), details: webgpu });
    expect(describeOrtError(new Error('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library')).summary).toMatch(/could not be loaded/);
    const cublas =
      '/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1862 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file: No such file or directory';
    expect(describeOrtError(new Error(cublas)).summary).toBe('the CUDA 12 / cuDNN 9 libraries are not installed (libcublasLt.so.12 not found)');
  });

  it('strips source paths and C++ names from an unknown error', () => {
    const { summary } = describeOrtError(new Error('/onnxruntime_src/onnxruntime/core/foo.cc:12 onnxruntime::Foo::Bar(int) something odd happened\nmore'));
    expect(summary).toBe('something odd happened');
  });
});
