/** Test helper: writes small transformers.js-layout VLM folders (real JSON configs, filler .onnx bytes) to inspect or serve. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelDtype } from '../../src/shared/model-types';
import { sessionFileName, VLM_SESSIONS } from '../../src/main/models/onnx-layout';

export interface FakeVlmOptions {
  modelType: 'lfm2_vl' | 'smolvlm';
  dtypes: ModelDtype[];
  /** Bytes of filler per .onnx file (default 4096). */
  onnxBytes?: number;
  /** config.json transformers.js_config.use_external_data_format. */
  useExternalData?: Record<string, number | boolean>;
  /** Session files (e.g. 'decoder_model_merged_q4.onnx') whose bytes name `<file>_data` as external weights. */
  referencesExternalData?: string[];
}

const CHAT_TEMPLATE = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}";

/** Deterministic filler bytes (xorshift), so served files and their hashes are stable. */
export function fillerBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a complete, inspectable VLM folder; tests then break it on purpose. */
export function writeFakeVlmFolder(dir: string, o: FakeVlmOptions): void {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const lfm = o.modelType === 'lfm2_vl';
  writeJson(dir, 'config.json', {
    model_type: o.modelType,
    architectures: [lfm ? 'Lfm2VlForConditionalGeneration' : 'SmolVLMForConditionalGeneration'],
    ...(lfm ? { image_token_index: 396 } : { image_token_id: 49190 }),
    text_config: lfm
      ? { model_type: 'lfm2', hidden_size: 32, layer_types: ['conv', 'full_attention'] }
      : { model_type: 'llama', hidden_size: 32, num_hidden_layers: 2 },
    vision_config: { model_type: lfm ? 'siglip2_vision_model' : 'smolvlm_vision', hidden_size: 32 },
    ...(o.useExternalData ? { 'transformers.js_config': { use_external_data_format: o.useExternalData } } : {}),
  });
  writeJson(dir, 'generation_config.json', { bos_token_id: 1, eos_token_id: 7, max_new_tokens: 16 });
  writeJson(dir, 'preprocessor_config.json', {
    image_processor_type: lfm ? 'Lfm2VlImageProcessor' : 'Idefics3ImageProcessor',
    processor_class: lfm ? 'Lfm2VlProcessor' : 'Idefics3Processor',
    do_resize: true,
  });
  if (!lfm) writeJson(dir, 'processor_config.json', { image_seq_len: 64, processor_class: 'Idefics3Processor' });
  writeJson(dir, 'tokenizer.json', { version: '1.0', model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [] }, added_tokens: [] });
  writeJson(dir, 'tokenizer_config.json', { tokenizer_class: 'PreTrainedTokenizerFast', chat_template: CHAT_TEMPLATE, eos_token: '<|im_end|>' });
  let seed = 1;
  for (const dtype of o.dtypes) {
    for (const session of VLM_SESSIONS) {
      const file = sessionFileName(session, dtype);
      let bytes = fillerBytes(o.onnxBytes ?? 4096, seed++);
      if (o.referencesExternalData?.includes(file)) {
        // Real graphs store the location as a protobuf string: filler, the name, filler.
        bytes = Buffer.concat([bytes.subarray(0, 100), Buffer.from(`\x0a\x08location\x12${String.fromCharCode(file.length + 5)}${file}_data\x1a`, 'latin1'), bytes.subarray(100)]);
      }
      writeFileSync(join(dir, 'onnx', file), bytes);
    }
  }
}

/** Writes the external data files a folder's onnx/<file> needs: `<file>_data`, `<file>_data_1`, … */
export function writeExternalData(dir: string, onnxFile: string, chunks: number, bytesEach = 2048): void {
  for (let i = 0; i < chunks; i++) {
    writeFileSync(join(dir, 'onnx', `${onnxFile}_data${i === 0 ? '' : `_${i}`}`), fillerBytes(bytesEach, 1000 + i));
  }
}

/**
 * The repo the downloader tests serve: LFM2-VL with fp32, fp16 and q4 (q4's decoder keeping its weights in
 * external data), a stray q4f16 session, a model card naming the base model, and a file the downloader must skip.
 */
export function writeTinyLfmRepo(dir: string, onnxBytes = 4096): void {
  writeFakeVlmFolder(dir, { modelType: 'lfm2_vl', dtypes: ['fp32', 'fp16', 'q4'], onnxBytes, referencesExternalData: ['decoder_model_merged_q4.onnx'] });
  writeExternalData(dir, 'decoder_model_merged_q4.onnx', 1, 8192);
  writeFileSync(join(dir, 'onnx', 'decoder_model_merged_q4f16.onnx'), fillerBytes(1024, 99));
  writeFileSync(join(dir, 'README.md'), '---\nlicense: other\nbase_model: LiquidAI/LFM2-VL-450M\n---\n# Tiny LFM2-VL\n');
  writeFileSync(join(dir, 'notes.txt'), 'not needed by the studio\n');
}
