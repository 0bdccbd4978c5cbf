/** Idefics3 (Hugging Face): SmolVLM's parent architecture, same processor, prompt and cache layout. */
import { contentListMessages } from './chat-messages';
import type { VlmArchitecture } from './types';

export const idefics3: VlmArchitecture = {
  modelTypes: ['idefics3'],
  displayName: 'Idefics3',
  transformersModelType: 'idefics3',
  processorClasses: ['Idefics3Processor', 'SmolVLMProcessor'],
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
