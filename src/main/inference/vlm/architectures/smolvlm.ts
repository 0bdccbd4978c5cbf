/** SmolVLM (Hugging Face): Idefics3-style processor (text, images) on a Llama decoder with one KV pair per layer. */
import { contentListMessages } from './chat-messages';
import type { VlmArchitecture } from './types';

export const smolVlm: VlmArchitecture = {
  modelTypes: ['smolvlm'],
  displayName: 'SmolVLM',
  transformersModelType: 'smolvlm',
  processorClasses: ['SmolVLMProcessor', 'Idefics3Processor'],
  needsProcessorConfig: true,
  processorArgs: 'text-images',
  endOfTurnToken: '<end_of_utterance>',
  // The template ends in "Assistant:" and the model answers " cat".
  answerPrefix: ' ',
  configProblems(_config, text) {
    if (typeof text.num_hidden_layers === 'number') return [];
    return [{ problem: "config.json text_config.num_hidden_layers is missing: the decoder's cache inputs can't be named" }];
  },
  buildMessages: contentListMessages,
};
