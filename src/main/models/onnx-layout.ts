/** The transformers.js ONNX file naming rules (dtype suffixes, the three VLM sessions, external data chunks), in one place. */
import { assertNever } from '../../shared/assert-never';
import { MODEL_DTYPES, type ModelDtype } from '../../shared/model-types';

/** Sessions an image-text-to-text model needs, in load order. */
export const VLM_SESSIONS = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;
export type VlmSession = (typeof VLM_SESSIONS)[number];

/** transformers.js refuses more chunks than this (MAX_EXTERNAL_DATA_CHUNKS). */
export const MAX_EXTERNAL_DATA_CHUNKS = 100;

export function dtypeSuffix(dtype: ModelDtype): string {
  switch (dtype) {
    case 'fp32':
      return '';
    case 'fp16':
      return '_fp16';
    case 'q8':
      return '_quantized';
    case 'int8':
      return '_int8';
    case 'uint8':
      return '_uint8';
    case 'q4':
      return '_q4';
    case 'q4f16':
      return '_q4f16';
    case 'bnb4':
      return '_bnb4';
    default:
      return assertNever(dtype, 'dtype');
  }
}

/** File name inside onnx/, e.g. sessionFileName('vision_encoder', 'q4') → 'vision_encoder_q4.onnx'. */
export function sessionFileName(session: VlmSession, dtype: ModelDtype): string {
  return `${session}${dtypeSuffix(dtype)}.onnx`;
}

/** Which dtype a session file belongs to, or null for a name that is not one of the three sessions. */
export function parseSessionFile(fileName: string): { session: VlmSession; dtype: ModelDtype } | null {
  for (const session of VLM_SESSIONS) {
    if (!fileName.startsWith(session) || !fileName.endsWith('.onnx')) continue;
    const suffix = fileName.slice(session.length, -'.onnx'.length);
    const dtype = MODEL_DTYPES.find((d) => dtypeSuffix(d) === suffix);
    if (dtype) return { session, dtype };
  }
  return null;
}

/** External data chunk names for an ONNX file: model.onnx_data, model.onnx_data_1, … */
export function externalDataChunkNames(onnxFileName: string, chunks: number): string[] {
  return Array.from({ length: chunks }, (_, i) => `${onnxFileName}_data${i === 0 ? '' : `_${i}`}`);
}

/**
 * How many external data chunks transformers.js will ask for, from transformers.js_config.use_external_data_format
 * (boolean, count, or a map keyed by full file name or session name). NaN means the config value is unusable.
 */
export function externalDataChunkCount(useExternal: unknown, onnxFileName: string, session: string): number {
  if (useExternal === undefined || useExternal === null || useExternal === false) return 0;
  if (typeof useExternal === 'object') {
    const map = useExternal as Record<string, unknown>;
    if (Object.hasOwn(map, onnxFileName)) return toCount(map[onnxFileName]);
    if (Object.hasOwn(map, session)) return toCount(map[session]);
    return 0;
  }
  return toCount(useExternal);
}

function toCount(value: unknown): number {
  if (value === true) return 1;
  if (value === false || value === null || value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return Number.NaN;
}

/** Dtypes for which all three sessions exist among the given onnx/ file names. */
export function completeDtypes(onnxFileNames: ReadonlySet<string>): ModelDtype[] {
  return MODEL_DTYPES.filter((d) => VLM_SESSIONS.every((s) => onnxFileNames.has(sessionFileName(s, d))));
}

/** Dtypes for which at least one of the three sessions exists. */
export function presentDtypes(onnxFileNames: ReadonlySet<string>): ModelDtype[] {
  return MODEL_DTYPES.filter((d) => VLM_SESSIONS.some((s) => onnxFileNames.has(sessionFileName(s, d))));
}
