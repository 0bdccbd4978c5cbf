/** Generation settings that force plain greedy decoding whatever the model's generation_config.json says. */
import type { VlmHandle } from './types';

/** Real exports ship sampling defaults (temperature, min_p, repetition_penalty); classification needs argmax. */
export function greedyConfig(handle: VlmHandle, maxNewTokens: number, minNewTokens = 0): Record<string, unknown> {
  return {
    do_sample: false,
    num_beams: 1,
    repetition_penalty: 1.0,
    no_repeat_ngram_size: 0,
    max_new_tokens: maxNewTokens,
    min_new_tokens: minNewTokens > 0 ? minNewTokens : null,
    eos_token_id: handle.eosIds,
  };
}
