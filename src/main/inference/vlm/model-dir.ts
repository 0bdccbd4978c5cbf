/** Checks a model folder before loading: supported architecture, readable configs, every needed file present. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findVlmArchitecture, supportedVlmTypes, type VlmArchitecture } from './architectures';
import { VlmError } from './errors';
import { VLM_SESSIONS, type VlmArch, type VlmDtype, type VlmDtypeSpec, type VlmSessionName } from './types';

/** transformers.js' dtype → file-name suffix table (DEFAULT_DTYPE_SUFFIX_MAPPING in v4.3). */
export const DTYPE_SUFFIX: Readonly<Record<VlmDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

export interface ModelDirInfo {
  arch: VlmArch;
  /** The registry module that runs `arch`. */
  architecture: VlmArchitecture;
  config: Record<string, unknown>;
  dtype: Record<VlmSessionName, VlmDtype>;
  /** Folder-relative ONNX files that will be loaded, per session. */
  onnxFiles: Record<VlmSessionName, string>;
}

function readJson(dir: string, name: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch {
    throw new VlmError('missing-files', `Model folder ${dir} is missing ${name}`, [name]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new VlmError('bad-config', `${name} in ${dir} is not valid JSON: ${(err as Error).message}`);
  }
}

export function resolveDtypes(spec: VlmDtypeSpec | undefined): Record<VlmSessionName, VlmDtype> {
  const out = {} as Record<VlmSessionName, VlmDtype>;
  for (const s of VLM_SESSIONS) {
    const d = spec === undefined ? 'fp32' : typeof spec === 'string' ? spec : (spec[s] ?? 'fp32');
    if (!(d in DTYPE_SUFFIX)) {
      throw new VlmError('bad-config', `Unknown dtype "${d}" for ${s}; use one of ${Object.keys(DTYPE_SUFFIX).join(', ')}`);
    }
    out[s] = d;
  }
  return out;
}

/** Number of external-data chunks transformers.js will look for (`use_external_data_format`). */
function externalChunks(config: Record<string, unknown>, file: string, session: string): number {
  const js = config['transformers.js_config'] as Record<string, unknown> | undefined;
  const fmt = js?.use_external_data_format;
  const pick = (v: unknown): number => (v === true ? 1 : typeof v === 'number' ? v : 0);
  if (fmt && typeof fmt === 'object') {
    const rec = fmt as Record<string, unknown>;
    return pick(rec[file] ?? rec[session]);
  }
  return pick(fmt);
}

/** Validates `dir` and returns what loadVlm needs; throws VlmError listing every problem found. */
export function inspectModelDir(dir: string, dtypeSpec?: VlmDtypeSpec): ModelDirInfo {
  if (!existsSync(dir)) throw new VlmError('missing-files', `Model folder not found: ${dir}`, ['.']);
  const config = readJson(dir, 'config.json');
  const modelType = config.model_type;
  if (typeof modelType !== 'string') {
    throw new VlmError('bad-config', `config.json in ${dir} has no "model_type"`);
  }
  const architecture = findVlmArchitecture(modelType);
  if (!architecture) {
    throw new VlmError(
      'unsupported-arch',
      `Unsupported model architecture "${modelType}" in ${dir}; supported: ${supportedVlmTypes().join(', ')}`,
    );
  }
  const text = config.text_config as Record<string, unknown> | undefined;
  if (!text || typeof text !== 'object') throw new VlmError('bad-config', `config.json in ${dir} has no "text_config"`);
  const refusal = architecture.configProblems(config, text).find((p) => p.loadError !== undefined);
  if (refusal) throw new VlmError('bad-config', `config.json in ${dir}: ${refusal.loadError}`);
  if (typeof (config.image_token_id ?? config.image_token_index) !== 'number') {
    throw new VlmError('bad-config', `config.json in ${dir} has no numeric "image_token_id"`);
  }
  const dtype = resolveDtypes(dtypeSpec);
  const onnxFiles = {} as Record<VlmSessionName, string>;
  const needed = ['preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
  if (architecture.needsProcessorConfig) needed.push('processor_config.json');
  for (const s of VLM_SESSIONS) {
    const base = `${s}${DTYPE_SUFFIX[dtype[s]]}.onnx`;
    onnxFiles[s] = `onnx/${base}`;
    needed.push(onnxFiles[s]);
    const chunks = externalChunks(config, base, s);
    for (let i = 0; i < chunks; i++) needed.push(`onnx/${base}_data${i === 0 ? '' : `_${i}`}`);
  }
  const missing = needed.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new VlmError('missing-files', `Model folder ${dir} is missing: ${missing.join(', ')}`, missing);
  }
  for (const f of ['preprocessor_config.json', 'tokenizer_config.json']) readJson(dir, f);
  return { arch: modelType, architecture, config, dtype, onnxFiles };
}
