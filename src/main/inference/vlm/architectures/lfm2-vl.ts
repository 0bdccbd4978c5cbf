/** LFM2-VL (Liquid AI): hybrid conv/attention decoder whose cache inputs are named from text_config.layer_types. */
import { contentListMessages } from './chat-messages';
import type { VlmArchitecture } from './types';

export const lfm2Vl: VlmArchitecture = {
  modelTypes: ['lfm2_vl'],
  displayName: 'LFM2-VL',
  transformersModelType: 'lfm2_vl',
  processorClasses: ['Lfm2VlProcessor'],
  needsProcessorConfig: false,
  processorArgs: 'images-text',
  endOfTurnToken: '<|im_end|>',
  // The template ends in "assistant\n" and the model answers "cat".
  answerPrefix: '',
  configProblems(_config, text) {
    if (Array.isArray(text.layer_types)) return [];
    return [
      {
        problem: "config.json text_config.layer_types is missing: LFM2-VL's cache inputs are named from it",
        loadError: 'text_config.layer_types is required for lfm2_vl',
      },
    ];
  },
  buildMessages: contentListMessages,
};
