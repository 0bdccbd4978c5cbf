/** LFM2-VL tiny model: config/processor/tokenizer files with the real keys, plus the graph specs. */
import type { TextSpec } from './text-graphs';
import type { Lfm2VisionSpec } from './vision-graphs';
import { LFM2_SIZES, type TinyVlmSize } from './sizes';
import { addedTokensDecoder, buildTokenizerJson, layoutVocab } from './tokenizer-files';

const MAX_TILES = 4;
const rowColTokens: string[] = [];
for (let r = 1; r <= MAX_TILES; r++) for (let c = 1; c <= MAX_TILES; c++) rowColTokens.push(`<|img_row_${r}_col_${c}|>`);

export const LFM2_SPECIALS = [
  '<|pad|>',
  '<|startoftext|>',
  '<|endoftext|>',
  '<|fim_pre|>',
  '<|fim_mid|>',
  '<|fim_suf|>',
  '<|im_start|>',
  '<|im_end|>',
  '<|tool_list_start|>',
  '<|tool_list_end|>',
  '<|tool_call_start|>',
  '<|tool_call_end|>',
  '<|tool_response_start|>',
  '<|tool_response_end|>',
  '<image>',
  '<|image_start|>',
  '<|image_end|>',
  '<|img_thumbnail|>',
  ...rowColTokens,
];

/** LFM2-VL's chat template (system/user/assistant turns, `<image>` for image content items). */
export const LFM2_VL_CHAT_TEMPLATE = [
  '{{- bos_token -}}',
  '{%- for message in messages -%}',
  "{{- '<|im_start|>' + message['role'] + '\\n' -}}",
  "{%- if message['content'] is string -%}{{- message['content'] -}}",
  "{%- else -%}{%- for item in message['content'] -%}",
  "{%- if item['type'] == 'image' -%}{{- '<image>' -}}",
  "{%- elif item['type'] == 'text' -%}{{- item['text'] -}}{%- endif -%}",
  '{%- endfor -%}{%- endif -%}',
  "{{- '<|im_end|>\\n' -}}",
  '{%- endfor -%}',
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}",
].join('');

export interface ArchFiles {
  json: Record<string, object>;
  text: Record<string, string>;
  textSpec: TextSpec;
}

export function lfm2VlFiles(size: TinyVlmSize = 'tiny'): ArchFiles & { vision: Lfm2VisionSpec } {
  const z = LFM2_SIZES[size];
  const layout = layoutVocab(LFM2_SPECIALS, z.vocabPadTo);
  const id = layout.specialIds;
  const textSpec: TextSpec = {
    vocabSize: layout.vocabSize,
    hidden: z.hidden,
    heads: z.heads,
    kvHeads: 1,
    headDim: z.headDim,
    ffn: z.ffn,
    layerTypes: z.layerTypes,
    positionIdsInput: false,
    convCache: 3,
  };
  const vision: Lfm2VisionSpec = { patchDim: 16 * 16 * 3, visionHidden: z.visionHidden, textHidden: textSpec.hidden, layers: z.visionLayers };
  const config = {
    architectures: ['Lfm2VlForConditionalGeneration'],
    model_type: 'lfm2_vl',
    downsample_factor: 2,
    image_token_id: id['<image>'],
    projector_hidden_act: 'gelu',
    projector_hidden_size: textSpec.hidden,
    projector_bias: true,
    projector_use_layernorm: false,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    transformers_version: '4.57.1',
    text_config: {
      model_type: 'lfm2',
      vocab_size: layout.vocabSize,
      hidden_size: textSpec.hidden,
      intermediate_size: textSpec.ffn,
      block_ff_dim: textSpec.ffn,
      block_auto_adjust_ff_dim: false,
      num_hidden_layers: textSpec.layerTypes.length,
      num_attention_heads: textSpec.heads,
      num_key_value_heads: textSpec.kvHeads,
      layer_types: textSpec.layerTypes,
      full_attn_idxs: textSpec.layerTypes.flatMap((t, i) => (t === 'full_attention' ? [i] : [])),
      conv_L_cache: textSpec.convCache,
      conv_bias: false,
      max_position_embeddings: 128000,
      norm_eps: 1e-5,
      rope_theta: 1000000.0,
      bos_token_id: id['<|startoftext|>'],
      eos_token_id: id['<|im_end|>'],
      pad_token_id: id['<|pad|>'],
      use_cache: true,
    },
    vision_config: {
      model_type: 'siglip2_vision_model',
      hidden_size: vision.visionHidden,
      intermediate_size: z.visionIntermediate,
      num_hidden_layers: Math.max(1, z.visionLayers.layers),
      num_attention_heads: z.visionLayers.heads,
      num_channels: 3,
      patch_size: 16,
      num_patches: z.numPatches,
      hidden_act: 'gelu_pytorch_tanh',
      layer_norm_eps: 1e-6,
      vision_use_head: false,
    },
  };
  const preprocessor = {
    image_processor_type: 'Lfm2VlImageProcessorFast',
    processor_class: 'Lfm2VlProcessor',
    do_convert_rgb: true,
    do_image_splitting: true,
    do_normalize: true,
    do_pad: true,
    do_rescale: true,
    do_resize: false,
    downsample_factor: 2,
    encoder_patch_size: 16,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    max_image_tokens: z.maxImageTokens,
    min_image_tokens: z.minImageTokens,
    max_num_patches: z.maxNumPatches,
    max_pixels_tolerance: 2.0,
    max_tiles: MAX_TILES,
    min_tiles: 2,
    resample: 2,
    rescale_factor: 1 / 255,
    return_row_col_info: true,
    size: { height: z.tileSize, width: z.tileSize },
    tile_size: z.tileSize,
    use_thumbnail: true,
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_eos_token: false,
    added_tokens_decoder: addedTokensDecoder(layout),
    bos_token: '<|startoftext|>',
    eos_token: '<|im_end|>',
    pad_token: '<|pad|>',
    chat_template: LFM2_VL_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: 1000000,
    tokenizer_class: 'PreTrainedTokenizerFast',
    processor_class: 'Lfm2VlProcessor',
  };
  return {
    textSpec,
    vision,
    json: {
      'config.json': config,
      'generation_config.json': {
        _from_model_config: true,
        bos_token_id: id['<|startoftext|>'],
        eos_token_id: id['<|im_end|>'],
        pad_token_id: id['<|pad|>'],
      },
      'preprocessor_config.json': preprocessor,
      'processor_config.json': { processor_class: 'Lfm2VlProcessor' },
      'special_tokens_map.json': { bos_token: '<|startoftext|>', eos_token: '<|im_end|>', pad_token: '<|pad|>' },
      'tokenizer.json': buildTokenizerJson(layout),
      'tokenizer_config.json': tokenizerConfig,
    },
    text: { 'chat_template.jinja': LFM2_VL_CHAT_TEMPLATE },
  };
}
