/** Per-architecture loading rules read off transformers.js 4.3 (which files and fields each VLM processor needs). */
import { assertNever } from '../../shared/assert-never';
import { SUPPORTED_VLM_TYPES, type SupportedVlmType } from '../../shared/model-types';

export interface VlmArchitectureSpec {
  displayName: string;
  /** Values of preprocessor_config.json processor_class that make AutoProcessor build the right processor. */
  processorClasses: string[];
  /** Idefics3Processor reads processor_config.json (image_seq_len); Lfm2VlProcessor does not. */
  needsProcessorConfig: boolean;
}

export function vlmSpec(type: SupportedVlmType): VlmArchitectureSpec {
  switch (type) {
    case 'lfm2_vl':
      return { displayName: 'LFM2-VL', processorClasses: ['Lfm2VlProcessor'], needsProcessorConfig: false };
    case 'smolvlm':
      return { displayName: 'SmolVLM', processorClasses: ['SmolVLMProcessor', 'Idefics3Processor'], needsProcessorConfig: true };
    case 'idefics3':
      return { displayName: 'Idefics3', processorClasses: ['Idefics3Processor', 'SmolVLMProcessor'], needsProcessorConfig: true };
    default:
      return assertNever(type, 'VLM type');
  }
}

export function isSupportedVlmType(type: string): type is SupportedVlmType {
  return (SUPPORTED_VLM_TYPES as readonly string[]).includes(type);
}

/** image-text-to-text model types transformers.js 4.3 knows but the studio does not run. */
export const OTHER_VLM_TYPES: readonly string[] = [
  'llava',
  'llava_onevision',
  'llava_qwen2',
  'moondream1',
  'florence2',
  'qwen2_vl',
  'qwen2_5_vl',
  'qwen3_vl',
  'qwen3_vl_moe',
  'qwen3_5',
  'qwen3_5_moe',
  'paligemma',
  'gemma3',
  'gemma3n',
  'gemma4',
  'mistral3',
  'lighton_ocr',
  'glm_ocr',
  'idefics2',
  'vision-encoder-decoder',
];

export const SUPPORTED_LIST = SUPPORTED_VLM_TYPES.join(', ');
