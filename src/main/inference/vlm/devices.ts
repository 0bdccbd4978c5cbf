/** Finds which execution providers (cpu / cuda / webgpu) can really start a session on this machine. */
import * as ort from 'onnxruntime-node';
import type { VlmDevice } from './types';

/** A 64-byte ONNX model (y = Neg(x), x: float[1]) used to probe a provider without loading a VLM. */
const PROBE_MODEL_B64 =
  'CAg6NgoLCgF4EgF5IgNOZWcSBXByb2JlWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

export interface DeviceStatus {
  device: VlmDevice;
  available: boolean;
  /** Why the provider could not start (first line of the runtime's message). */
  reason?: string;
}

const ALL_DEVICES: readonly VlmDevice[] = ['cpu', 'cuda', 'webgpu'];
const cache = new Map<VlmDevice, Promise<DeviceStatus>>();

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n').find((l) => l.trim().length > 0)?.trim() ?? 'unknown error';
}

async function probe(device: VlmDevice): Promise<DeviceStatus> {
  try {
    const bytes = Buffer.from(PROBE_MODEL_B64, 'base64');
    const session = await ort.InferenceSession.create(bytes, { executionProviders: [device], logSeverityLevel: 4 });
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2), [1]) });
    const y = out.y?.data as Float32Array | undefined;
    await session.release();
    if (!y || y[0] !== -2) return { device, available: false, reason: 'probe session returned a wrong result' };
    return { device, available: true };
  } catch (err) {
    return { device, available: false, reason: firstLine(err) };
  }
}

/** Probes one provider (memoised per process; a failed probe never throws). */
export function probeDevice(device: VlmDevice): Promise<DeviceStatus> {
  let p = cache.get(device);
  if (!p) {
    p = probe(device);
    cache.set(device, p);
  }
  return p;
}

/** Status of cpu, cuda and webgpu, in that order. */
export async function detectDevices(): Promise<DeviceStatus[]> {
  const out: DeviceStatus[] = [];
  for (const d of ALL_DEVICES) out.push(await probeDevice(d));
  return out;
}
