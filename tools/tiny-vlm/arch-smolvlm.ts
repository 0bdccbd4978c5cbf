/** SmolVLM / Idefics3 tiny model: config/processor/tokenizer files with the real keys, plus graph specs. */
import type { ArchFiles } from './arch-lfm2-vl';
import type { Idefics3VisionSpec } from './vision-graphs';
import { SMOL_SIZES, type TinyVlmSize } from './sizes';
import { addedTokensDecoder, buildTokenizerJson, layoutVocab } from './tokenizer-files';

const MAX_SPLITS = 4;
const rowColTokens: string[] = [];
for (let r = 1; r <= MAX_SPLITS; r++) for (let c = 1; c <= MAX_SPLITS; c++) rowColTokens.push(`<row_${r}_col_${c}>`);

export const SMOLVLM_SPECIALS = [
  '<|endoftext|>',
  '<|im_start|>',
  '<|im_end|>',
  '<fake_token_around_image>',
  '<image>',
  '<global-img>',
  '<end_of_utterance>',
  ...rowColTokens,
];

/** SmolVLM-Instruct's chat template ("User:<image>…<end_of_utterance>\nAssistant:"). */
export const SMOLVLM_CHAT_TEMPLATE =
  "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}" +
  "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}" +
  "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}" +
  "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n" +
  "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

export function smolVlmFiles(modelType: 'smolvlm' | 'idefics3', size: TinyVlmSize = 'tiny'): ArchFiles & { vision: Idefics3VisionSpec } {
  const z = SMOL_SIZES[size];
  const layout = layoutVocab(SMOLVLM_SPECIALS, z.vocabPadTo);
  const id = layout.specialIds;
  const textSpec = {
    vocabSize: layout.vocabSize,
    hidden: z.hidden,
    heads: z.heads,
    kvHeads: 1 as const,
    headDim: z.headDim,
    ffn: z.ffn,
    layerTypes: Array.from({ length: z.layers }, () => 'full_attention' as const),
    positionIdsInput: true,
    convCache: 3,
  };
  const imageSize = z.imageSize;
  const vision: Idefics3VisionSpec = {
    patchSize: z.patchSize,
    scaleFactor: z.scaleFactor,
    visionHidden: z.visionHidden,
    textHidden: textSpec.hidden,
    layers: z.visionLayers,
  };
  const imageSeqLen = (imageSize / vision.patchSize / vision.scaleFactor) ** 2;
  const prefix = modelType === 'smolvlm' ? 'SmolVLM' : 'Idefics3';
  const config = {
    architectures: [`${prefix}ForConditionalGeneration`],
    model_type: modelType,
    image_token_id: id['<image>'],
    scale_factor: vision.scaleFactor,
    pad_token_id: id['<|im_end|>'],
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    transformers_version: '4.57.1',
    use_cache: true,
    text_config: {
      model_type: 'llama',
      vocab_size: layout.vocabSize,
      hidden_size: textSpec.hidden,
      intermediate_size: textSpec.ffn,
      num_hidden_layers: textSpec.layerTypes.length,
      num_attention_heads: textSpec.heads,
      num_key_value_heads: textSpec.kvHeads,
      head_dim: textSpec.headDim,
      max_position_embeddings: 8192,
      rms_norm_eps: 1e-5,
      rope_theta: 100000,
      hidden_act: 'silu',
      bos_token_id: id['<|im_start|>'],
      eos_token_id: id['<end_of_utterance>'],
      pad_token_id: id['<|im_end|>'],
      tie_word_embeddings: false,
    },
    vision_config: {
      model_type: modelType === 'smolvlm' ? 'smolvlm_vision' : 'idefics3_vision',
      hidden_size: vision.visionHidden,
      intermediate_size: z.visionIntermediate,
      num_hidden_layers: Math.max(1, z.visionLayers.layers),
      num_attention_heads: z.visionLayers.heads,
      num_channels: 3,
      image_size: imageSize,
      patch_size: vision.patchSize,
      layer_norm_eps: 1e-6,
    },
  };
  const processorClass = `${prefix}Processor`;
  const preprocessor = {
    image_processor_type: `${prefix}ImageProcessor`,
    processor_class: processorClass,
    do_convert_rgb: true,
    do_image_splitting: true,
    do_normalize: true,
    do_pad: true,
    do_rescale: true,
    do_resize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    max_image_size: { longest_edge: imageSize },
    resample: 1,
    rescale_factor: 1 / 255,
    size: { longest_edge: imageSize * 2 },
  };
  const tokenizerConfig = {
    add_prefix_space: false,
    added_tokens_decoder: addedTokensDecoder(layout),
    additional_special_tokens: ['<fake_token_around_image>', '<image>', '<end_of_utterance>'],
    bos_token: '<|im_start|>',
    eos_token: '<end_of_utterance>',
    pad_token: '<|im_end|>',
    unk_token: '<|endoftext|>',
    chat_template: SMOLVLM_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: 8192,
    processor_class: processorClass,
    tokenizer_class: 'GPT2Tokenizer',
    vocab_size: layout.vocabSize,
  };
  return {
    textSpec,
    vision,
    json: {
      'config.json': config,
      'generation_config.json': {
        _from_model_config: true,
        bos_token_id: id['<|im_start|>'],
        eos_token_id: id['<end_of_utterance>'],
        pad_token_id: id['<|im_end|>'],
      },
      'preprocessor_config.json': preprocessor,
      'processor_config.json': { image_seq_len: imageSeqLen, processor_class: processorClass },
      'chat_template.json': { chat_template: SMOLVLM_CHAT_TEMPLATE },
      'special_tokens_map.json': {
        additional_special_tokens: tokenizerConfig.additional_special_tokens,
        bos_token: '<|im_start|>',
        eos_token: '<end_of_utterance>',
        pad_token: '<|im_end|>',
        unk_token: '<|endoftext|>',
      },
      'tokenizer.json': buildTokenizerJson(layout),
      'tokenizer_config.json': tokenizerConfig,
    },
    text: {},
  };
}
