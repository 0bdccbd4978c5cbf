/** A test-only architecture: a renamed copy of src/main/inference/vlm/architectures/smolvlm.ts, registered by tests only. */
import { contentListMessages } from '../../../src/main/inference/vlm/architectures/chat-messages';
import type { VlmArchitecture } from '../../../src/main/inference/vlm/architectures';

/** The model_type the tiny SmolVLM fixture's config.json is rewritten to. */
export const TEST_VLM_TYPE = 'studio_test_vlm';

export const testVlm: VlmArchitecture = {
  modelTypes: [TEST_VLM_TYPE],
  displayName: 'StudioTestVLM',
  transformersModelType: 'smolvlm',
  processorClasses: ['SmolVLMProcessor', 'Idefics3Processor'],
  needsProcessorConfig: true,
  processorArgs: 'text-images',
  endOfTurnToken: '<end_of_utterance>',
  answerPrefix: ' ',
  configProblems(_config, text) {
    if (typeof text.num_hidden_layers === 'number') return [];
    return [{ problem: "config.json text_config.num_hidden_layers is missing: the decoder's cache inputs can't be named" }];
  },
  buildMessages: contentListMessages,
};
