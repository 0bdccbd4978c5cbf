/** Idefics3 (Hugging Face): SmolVLM's parent architecture, same processor, prompt and cache layout. */
import { smolVlm } from './smolvlm';
import type { VlmArchitecture } from './types';

export const idefics3: VlmArchitecture = {
  ...smolVlm,
  modelTypes: ['idefics3'],
  displayName: 'Idefics3',
  transformersModelType: 'idefics3',
  processorClasses: ['Idefics3Processor', 'SmolVLMProcessor'],
};
