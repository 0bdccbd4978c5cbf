/**
 * Says, in plain language, whether each execution provider (cpu / cuda / webgpu) can run here and
 * what would make it run. CUDA is only probed once its libraries and a driver are there, so a
 * machine without them gets "no NVIDIA driver found" instead of ONNX Runtime's loader stack.
 */
import * as ort from 'onnxruntime-node';
import { EVAL_DEVICES, type EvalDevice } from '../../shared/eval-types';
import type { DeviceStatus, RuntimeInfo } from '../../shared/runtime-types';
import { describeOrtError } from './describe-ort-error';
import { detectNvidiaDriver, type DriverInfo } from './nvidia-driver';
import { cudaRuntimeFiles, locateOrtPackage, missingFiles, type OrtPackage } from './ort-package';

/** A 64-byte ONNX model (y = Neg(x), x: float[1]) used to probe a provider without loading a VLM. */
const PROBE_MODEL_B64 = 'CAg6NgoLCgF4EgF5IgNOZWcSBXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

/** What the checks look at; tests point it at a scratch copy of the package folder. */
export interface ProbeEnvironment {
  platform: string;
  arch: string;
  pkg: OrtPackage;
  driver: () => DriverInfo;
  /** Creates and runs the probe session on a provider (throws its error). */
  probe: (device: EvalDevice) => Promise<void>;
}

async function probeSession(device: EvalDevice): Promise<void> {
  const session = await ort.InferenceSession.create(Buffer.from(PROBE_MODEL_B64, 'base64'), { executionProviders: [device], logSeverityLevel: 4 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2), [1]) });
    const y = out.y?.data as Float32Array | undefined;
    if (!y || y[0] !== -2) throw new Error('the probe session returned a wrong result');
  } finally {
    await session.release();
  }
}

export function defaultProbeEnvironment(): ProbeEnvironment {
  return { platform: process.platform, arch: process.arch, pkg: locateOrtPackage(), driver: () => detectNvidiaDriver(), probe: probeSession };
}

async function probed(device: EvalDevice, env: ProbeEnvironment, okReason: string, runtime?: RuntimeInfo): Promise<DeviceStatus> {
  try {
    await env.probe(device);
    return { device, available: true, state: 'available', reason: okReason, runtime };
  } catch (err) {
    const { summary, details } = describeOrtError(err);
    return { device, available: false, state: 'failed', reason: summary, details, runtime };
  }
}

/** The CUDA runtime's files on disk, or null where onnxruntime-node has no CUDA download for this platform. */
export function cudaRuntimeInfo(env: ProbeEnvironment): RuntimeInfo | null {
  const files = cudaRuntimeFiles(env.pkg, env.platform, env.arch);
  if (!files) return null;
  const missing = missingFiles(env.pkg.binDir, files);
  return { name: 'cuda', installed: missing.length === 0, installable: true, missing };
}

async function cudaStatus(env: ProbeEnvironment): Promise<DeviceStatus> {
  const runtime = cudaRuntimeInfo(env);
  if (!runtime) {
    const why = env.platform === 'darwin' ? 'CUDA does not exist on macOS' : `onnxruntime-node has no CUDA provider for ${env.platform}/${env.arch}`;
    return { device: 'cuda', available: false, state: 'unsupported', reason: why };
  }
  const driver = env.driver();
  if (!driver.found) {
    const also = runtime.installed ? '' : ' (the CUDA runtime is not downloaded either)';
    return { device: 'cuda', available: false, state: 'no-driver', reason: `CUDA needs an NVIDIA GPU and its driver; none was found${also}`, runtime };
  }
  if (!runtime.installed) {
    return {
      device: 'cuda',
      available: false,
      state: 'needs-runtime',
      reason: 'an NVIDIA driver is here; download the CUDA runtime for ONNX Runtime (a few hundred MB) to use the GPU',
      details: `Missing in ${env.pkg.binDir}: ${runtime.missing.join(', ')}`,
      runtime,
    };
  }
  return probed('cuda', env, driver.version ? `NVIDIA driver: ${driver.version}` : 'NVIDIA GPU', runtime);
}

/** Status of one provider (never throws). */
export async function providerStatus(device: EvalDevice, env: ProbeEnvironment = defaultProbeEnvironment()): Promise<DeviceStatus> {
  if (device === 'cuda') return cudaStatus(env);
  return probed(device, env, device === 'cpu' ? 'runs on the CPU (always there)' : 'runs on this machine’s GPU through WebGPU');
}

const cache = new Map<EvalDevice, Promise<DeviceStatus>>();

/** Probes one provider, memoised per process (a failed probe never throws); reset after a runtime install. */
export function probeDevice(device: EvalDevice): Promise<DeviceStatus> {
  let p = cache.get(device);
  if (!p) {
    p = providerStatus(device);
    cache.set(device, p);
  }
  return p;
}

/** Forgets memoised probes, so the next call looks again (after installing a runtime). */
export function resetDeviceCache(): void {
  cache.clear();
}

/** Status of cpu, cuda and webgpu, in that order. */
export async function detectDevices(): Promise<DeviceStatus[]> {
  const out: DeviceStatus[] = [];
  for (const d of EVAL_DEVICES) out.push(await probeDevice(d));
  return out;
}
