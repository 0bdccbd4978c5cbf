/** transformers.js 4.3's from_pretrained cannot take ready sessions, but its model classes take (config, sessions, configs): we pass cached ones and it still does all the wiring. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { AutoConfig, AutoModelForImageTextToText, env, LogLevel, type PretrainedConfig, type PreTrainedModel } from '@huggingface/transformers';
import type * as ort from 'onnxruntime-node';
import type { ModelDirInfo } from './model-dir';
import { acquireSession, type SessionLease } from './session-cache';
import { VLM_SESSIONS, type VlmDevice, type VlmSessionName } from './types';

export interface SharedModel {
  model: PreTrainedModel;
  /** Per session, the cache's id for it (equal ids = one InferenceSession). */
  sharedSessionIds: Record<VlmSessionName, number>;
}

type ModelClass = new (config: PretrainedConfig, sessions: Record<string, ort.InferenceSession>, configs: Record<string, unknown>) => PreTrainedModel;

/** The class AutoModelForImageTextToText.from_pretrained would instantiate for this model_type. */
function modelClass(modelType: string): ModelClass {
  const mappings = (AutoModelForImageTextToText as unknown as { MODEL_CLASS_MAPPINGS: Map<string, string>[] }).MODEL_CLASS_MAPPINGS;
  const name = mappings.map((m) => m.get(modelType)).find((n) => n !== undefined);
  const cls = name === undefined ? undefined : (transformers as unknown as Record<string, unknown>)[name];
  if (typeof cls !== 'function') throw new Error(`transformers.js has no image-text-to-text class for "${modelType}"`);
  return cls as ModelClass;
}

/** transformers.js' getOnnxLogSeverityLevel (backends/onnx.js), so shared sessions log like its own. */
function logSeverity(): number {
  const level = env.logLevel ?? LogLevel.WARNING;
  if (level <= LogLevel.DEBUG) return 0;
  if (level <= LogLevel.INFO) return 2;
  if (level <= LogLevel.ERROR) return 3;
  return 4;
}

/** The options transformers.js' getSession passes InferenceSession.create on Node for this session. */
function sessionOptions(config: Record<string, unknown>, device: VlmDevice): ort.InferenceSession.SessionOptions {
  const js = (config['transformers.js_config'] ?? {}) as Record<string, unknown>;
  const perDevice = ((js.device_config ?? {}) as Record<string, Record<string, unknown>>)[device] ?? {};
  const overrides = (perDevice.free_dimension_overrides ?? js.free_dimension_overrides) as Record<string, number> | undefined;
  return {
    logSeverityLevel: logSeverity() as ort.InferenceSession.SessionOptions['logSeverityLevel'],
    executionProviders: [device],
    ...(overrides ? { freeDimensionOverrides: overrides } : {}),
  };
}

/** Loads `modelDir`'s three sessions through the cache and wraps them in the library's model class. */
export async function loadSharedModel(modelDir: string, info: ModelDirInfo, config: Record<string, unknown>, device: VlmDevice): Promise<SharedModel> {
  const options = sessionOptions(config, device);
  const results = await Promise.allSettled(VLM_SESSIONS.map((s) => acquireSession({ file: join(modelDir, info.onnxFiles[s]), options, role: s })));
  const leases = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(leases.map((l) => l.release()));
    throw failed.reason;
  }
  const byName = Object.fromEntries(VLM_SESSIONS.map((s, i) => [s, leases[i]])) as Record<VlmSessionName, SessionLease>;
  try {
    const pretrained = await AutoConfig.from_pretrained(modelDir, { config: config as unknown as PretrainedConfig, local_files_only: true });
    const genFile = join(modelDir, 'generation_config.json');
    const generation_config: unknown = existsSync(genFile) ? JSON.parse(readFileSync(genFile, 'utf8')) : {};
    const sessions = Object.fromEntries(VLM_SESSIONS.map((s) => [s, byName[s].session]));
    const model = new (modelClass(String(config.model_type)))(pretrained, sessions, { generation_config });
    // The library's dispose releases every session; here it gives back this model's references instead.
    (model as unknown as { dispose: () => Promise<void> }).dispose = async () => {
      await Promise.all(leases.map((l) => l.release()));
    };
    const sharedSessionIds = Object.fromEntries(VLM_SESSIONS.map((s) => [s, byName[s].id])) as Record<VlmSessionName, number>;
    return { model, sharedSessionIds };
  } catch (err) {
    await Promise.all(leases.map((l) => l.release()));
    throw err;
  }
}
