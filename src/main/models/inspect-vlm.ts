/** Checks a transformers.js image-text-to-text folder against what its architecture's loader will ask for. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelDtype, ModelFileInfo } from '../../shared/model-types';
import { OTHER_VLM_TYPES, findVlmArchitecture, supportedVlmTypes, type VlmArchitecture } from '../inference/vlm/architectures';
import { objectField, readJsonObject } from './model-folder-files';
import { referencedExternalData } from './onnx-external-refs';
import {
  MAX_EXTERNAL_DATA_CHUNKS,
  VLM_SESSIONS,
  externalDataChunkCount,
  externalDataChunkNames,
  presentDtypes,
  sessionFileName,
} from './onnx-layout';

export interface VlmFindings {
  kind: 'vlm' | null;
  architecture: string | null;
  supported: boolean;
  supportReason: string;
  dtypes: ModelDtype[];
  bytesByDtype: Partial<Record<ModelDtype, number>>;
  problems: string[];
}

/** Inspects a folder whose config.json parsed as an object. Never throws for broken content. */
export async function inspectVlm(dir: string, config: Record<string, unknown>, files: ModelFileInfo[]): Promise<VlmFindings> {
  const modelType = config.model_type;
  const onnx = await inspectOnnxSessions(dir, config, files);
  if (typeof modelType !== 'string' || modelType === '') {
    const reason = "config.json has no model_type: the architecture can't be determined";
    return { kind: null, architecture: null, supported: false, supportReason: reason, ...onnx, problems: [reason, ...onnx.problems] };
  }
  const arch = findVlmArchitecture(modelType);
  if (!arch) {
    const supportedList = supportedVlmTypes().join(', ');
    const isVlm = OTHER_VLM_TYPES.includes(modelType) || objectField(config, 'vision_config') !== undefined;
    const reason = isVlm
      ? `model_type "${modelType}" is an image-text-to-text model the studio can't run; supported: ${supportedList}`
      : `model_type "${modelType}" is not an image-text-to-text model; supported: ${supportedList}`;
    return { kind: isVlm ? 'vlm' : null, architecture: modelType, supported: false, supportReason: reason, ...onnx, problems: [reason, ...onnx.problems] };
  }
  const blocking = [...configProblems(arch, config), ...(await companionFileProblems(dir, arch))];
  if (onnx.dtypes.length === 0) blocking.push(onnx.noneReason);
  const problems = [...blocking.filter((p) => p !== onnx.noneReason), ...onnx.problems];
  const name = arch.displayName;
  const supported = blocking.length === 0;
  const supportReason = supported ? `${name} (${modelType}), dtypes: ${onnx.dtypes.join(', ')}` : `${name}: ${blocking[0]}`;
  return { kind: 'vlm', architecture: modelType, supported, supportReason, dtypes: onnx.dtypes, bytesByDtype: onnx.bytesByDtype, problems };
}

function configProblems(arch: VlmArchitecture, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = objectField(config, 'text_config');
  if (!text) problems.push("config.json has no text_config: the decoder's cache layout is unknown");
  else problems.push(...arch.configProblems(config, text).map((p) => p.problem));
  if (typeof config.image_token_id !== 'number' && typeof config.image_token_index !== 'number') {
    problems.push("config.json has no image_token_id: image features can't be placed in the prompt");
  }
  return problems;
}

async function companionFileProblems(dir: string, spec: VlmArchitecture): Promise<string[]> {
  const problems: string[] = [];
  const tokenizer = await readJsonObject(dir, 'tokenizer.json', "tokenizer.json is missing: the tokenizer can't be loaded");
  if (!tokenizer.ok) problems.push(tokenizer.problem);
  const tokConfig = await readJsonObject(dir, 'tokenizer_config.json', "tokenizer_config.json is missing: the tokenizer can't be loaded");
  if (!tokConfig.ok) problems.push(tokConfig.problem);
  else if (!hasChatTemplate(tokConfig.value.chat_template)) {
    const jinja = await fileExists(dir, 'chat_template.jinja');
    problems.push(
      `chat template missing: ${spec.displayName} reads it from tokenizer_config.json` +
        (jinja ? " (chat_template.jinja is not read: copy its text into tokenizer_config.json's chat_template)" : ''),
    );
  }
  const pre = await readJsonObject(dir, 'preprocessor_config.json', "preprocessor_config.json is missing: images can't be preprocessed");
  if (!pre.ok) problems.push(pre.problem);
  else if (!spec.processorClasses.includes(String(pre.value.processor_class))) {
    const found = pre.value.processor_class === undefined ? 'missing' : `"${String(pre.value.processor_class)}"`;
    problems.push(`preprocessor_config.json processor_class is ${found}: AutoProcessor needs ${spec.processorClasses.join(' or ')} to pair images with the tokenizer`);
  }
  if (spec.needsProcessorConfig) {
    const proc = await readJsonObject(dir, 'processor_config.json', `processor_config.json is missing: ${spec.displayName} needs it for image_seq_len`);
    if (!proc.ok) problems.push(proc.problem);
    else if (typeof proc.value.image_seq_len !== 'number' || proc.value.image_seq_len <= 0) {
      problems.push(`processor_config.json has no image_seq_len: ${spec.displayName} can't size the image tokens`);
    }
  }
  if (await fileExists(dir, 'generation_config.json')) {
    const gen = await readJsonObject(dir, 'generation_config.json', '');
    if (!gen.ok) problems.push(gen.problem);
  }
  return problems;
}

function hasChatTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some((t) => typeof t === 'object' && t !== null && typeof (t as { template?: unknown }).template === 'string');
  return false;
}

async function fileExists(dir: string, name: string): Promise<boolean> {
  return stat(join(dir, name)).then((s) => s.isFile(), () => false);
}

interface OnnxFindings {
  dtypes: ModelDtype[];
  bytesByDtype: Partial<Record<ModelDtype, number>>;
  problems: string[];
  noneReason: string;
}

/** Which dtypes have all three sessions and every external data file they need; problems for the partial ones. */
async function inspectOnnxSessions(dir: string, config: Record<string, unknown>, files: ModelFileInfo[]): Promise<OnnxFindings> {
  const sizes = new Map(files.filter((f) => /^onnx\/[^/]+$/.test(f.path)).map((f) => [f.path.slice(5), f.bytes]));
  const names = new Set(sizes.keys());
  const useExternal = objectField(config, 'transformers.js_config')?.use_external_data_format;
  const problems: string[] = [];
  const dtypes: ModelDtype[] = [];
  const bytesByDtype: Partial<Record<ModelDtype, number>> = {};
  for (const dtype of presentDtypes(names)) {
    let complete = true;
    let bytes = 0;
    for (const session of VLM_SESSIONS) {
      const file = sessionFileName(session, dtype);
      if (!names.has(file)) {
        problems.push(`onnx/${file} is missing for dtype ${dtype}`);
        complete = false;
        continue;
      }
      bytes += sizes.get(file) ?? 0;
      const chunks = externalDataChunkCount(useExternal, file, session);
      if (Number.isNaN(chunks) || chunks > MAX_EXTERNAL_DATA_CHUNKS) {
        problems.push(`config.json transformers.js_config.use_external_data_format has an unusable value for ${file} (want true/false or a chunk count up to ${MAX_EXTERNAL_DATA_CHUNKS})`);
        complete = false;
        continue;
      }
      const needed = new Set([...externalDataChunkNames(file, chunks), ...(await referencedExternalData(join(dir, 'onnx', file)).catch(() => []))]);
      for (const data of [...needed].sort()) {
        if (!names.has(data)) {
          problems.push(`onnx/${data} is missing for dtype ${dtype}: onnx/${file} keeps its weights there`);
          complete = false;
        } else bytes += sizes.get(data) ?? 0;
      }
    }
    if (complete) {
      dtypes.push(dtype);
      bytesByDtype[dtype] = bytes;
    }
  }
  const noneReason =
    names.size === 0
      ? 'onnx/ has no model files: export the model with transformers.js-style ONNX sessions'
      : 'no dtype has all three ONNX sessions (embed_tokens, vision_encoder, decoder_model_merged) in onnx/';
  if (dtypes.length === 0) problems.push(noneReason);
  return { dtypes, bytesByDtype, problems, noneReason };
}
