/** The one interface every supported VLM architecture implements: all model_type-specific facts live behind it. */
import type { PromptSpec } from '../prompt-spec';

export type ChatContent = { type: 'image' } | { type: 'text'; text: string };
export type ChatMessage = { role: 'system' | 'user'; content: ChatContent[] };

/** One problem with config.json that only this architecture cares about. */
export interface ArchConfigProblem {
  /** Inspection's line ("config.json … is missing: why it matters"). */
  problem: string;
  /** When set, loadVlm also refuses the folder (bad-config) with "config.json in <dir>: <loadError>". */
  loadError?: string;
}

/**
 * Everything the generic loader, inspector, prompt builder and decoders need to know about one architecture.
 * Adding an architecture = one module implementing this + one line in architectures/index.ts.
 */
export interface VlmArchitecture {
  /** config.json model_type values this module runs; the first is the canonical one. */
  modelTypes: readonly string[];
  /** Name shown in inspection results ("SmolVLM"). */
  displayName: string;
  /** model_type transformers.js 4.3 knows this architecture by: it picks the model class and the cache layout. */
  transformersModelType: string;
  /** preprocessor_config.json processor_class values that make AutoProcessor build the right processor. */
  processorClasses: readonly string[];
  /** Whether the processor reads processor_config.json (image_seq_len): Idefics3Processor does, Lfm2VlProcessor not. */
  needsProcessorConfig: boolean;
  /** How the processor is called: Lfm2VlProcessor(images, text) vs Idefics3Processor(text, images). */
  processorArgs: 'images-text' | 'text-images';
  /** Token that ends an assistant turn; decoding stops on it and scored mode scores it. */
  endOfTurnToken: string;
  /** Text the model writes before an answer word right after the generation prompt (" cat" vs "cat"). */
  answerPrefix: string;
  /** Architecture-specific config.json checks (e.g. the text_config field its cache input names come from). */
  configProblems(config: Record<string, unknown>, textConfig: Record<string, unknown>): ArchConfigProblem[];
  /** The chat messages for one classification query, shaped the way this model's chat template reads them. */
  buildMessages(prompt: PromptSpec): ChatMessage[];
}
