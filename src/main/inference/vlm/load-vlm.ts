/** Loads a local image-text-to-text ONNX model folder with transformers.js, offline, on a chosen device. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AutoModelForImageTextToText,
  AutoProcessor,
  type PretrainedConfig,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
} from '@huggingface/transformers';
import { probeDevice } from '../../runtime/provider-status';
import { VlmError } from './errors';
import { installFastPreprocess } from './fast-preprocess';
import { inspectModelDir } from './model-dir';
import { loadSharedModel } from './shared-model';
import type { LoadVlmOptions, VlmHandle } from './types';

function tokenId(tokenizer: PreTrainedTokenizer, token: string): number | undefined {
  const ids = tokenizer.convert_tokens_to_ids([token]) as unknown as (number | undefined | null)[];
  const id = ids[0];
  return typeof id === 'number' && id >= 0 ? id : undefined;
}

function asIds(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

/**
 * Loads processor + model. Validates the folder first (clear VlmError for missing files, broken
 * config.json or an unsupported architecture); probes a non-CPU device first and throws
 * 'device-unavailable' (saying CPU works) when it cannot start. Sessions come from the shared
 * session cache unless `shareSessions` is false (then transformers.js creates its own).
 */
export async function loadVlm(opts: LoadVlmOptions): Promise<VlmHandle> {
  const modelDir = resolve(opts.modelDir);
  const device = opts.device ?? 'cpu';
  const info = inspectModelDir(modelDir, opts.dtype);
  const { architecture } = info;
  if (device !== 'cpu') {
    const status = await probeDevice(device);
    if (!status.available) {
      const cpu = await probeDevice('cpu');
      throw new VlmError(
        'device-unavailable',
        `Device "${device}" cannot start here: ${status.reason}.` +
          (cpu.available ? ' CPU is available: load again with device "cpu".' : ''),
      );
    }
  }
  let processor: Processor;
  let model: PreTrainedModel;
  let sharedSessionIds: VlmHandle['sharedSessionIds'] = null;
  try {
    processor = (await AutoProcessor.from_pretrained(modelDir, { local_files_only: true })) as Processor;
    // transformers.js picks the model class and cache layout from model_type: give it the name it knows.
    const config = { ...info.config, model_type: architecture.transformersModelType };
    if (opts.shareSessions === false) {
      model = await AutoModelForImageTextToText.from_pretrained(modelDir, {
        local_files_only: true,
        config: config as unknown as PretrainedConfig,
        dtype: info.dtype,
        device,
      });
    } else {
      ({ model, sharedSessionIds } = await loadSharedModel(modelDir, info, config, device));
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const hint = device === 'cpu' ? '' : ' CPU may still work: load again with device "cpu".';
    throw new VlmError('load-failed', `Loading ${modelDir} on ${device} failed: ${why}.${hint}`);
  }
  // Same pixel_values bit for bit, without the generic HWC→CHW permute (see fast-preprocess.ts).
  installFastPreprocess((processor as unknown as { image_processor?: unknown }).image_processor);
  const tokenizer = processor.tokenizer as PreTrainedTokenizer | undefined;
  if (!tokenizer) throw new VlmError('bad-config', `No tokenizer could be loaded from ${modelDir}`);
  // LFM2-VL reads its template from tokenizer_config.json only; some exports ship chat_template.jinja alone.
  const tok = tokenizer as unknown as { chat_template?: string | null };
  if (!tok.chat_template) {
    try {
      tok.chat_template = readFileSync(join(modelDir, 'chat_template.jinja'), 'utf8');
    } catch {
      throw new VlmError('bad-config', `${modelDir} has no chat template (tokenizer_config.json or chat_template.jinja)`);
    }
  }
  const endName = architecture.endOfTurnToken;
  const endOfTurnId = tokenId(tokenizer, endName);
  if (endOfTurnId === undefined) {
    throw new VlmError('bad-config', `The tokenizer in ${modelDir} has no "${endName}" token`);
  }
  const genCfg = (model as unknown as { generation_config?: Record<string, unknown> }).generation_config ?? {};
  const textCfg = (info.config.text_config ?? {}) as Record<string, unknown>;
  const eosIds = [...new Set([endOfTurnId, ...asIds(genCfg.eos_token_id), ...asIds(info.config.eos_token_id), ...asIds(textCfg.eos_token_id)])];
  return {
    arch: info.arch,
    architecture,
    modelDir,
    device,
    dtype: info.dtype,
    processor,
    tokenizer,
    model,
    endOfTurnId,
    eosIds,
    answerPrefix: architecture.answerPrefix,
    sharedSessionIds,
    dispose: async () => {
      await model.dispose();
    },
  };
}
