/** Turns (image, system/user template, labels) into model inputs via the model's own chat template. */
import { RawImage, type Processor, type Tensor } from '@huggingface/transformers';
import { contentListMessages } from './architectures/chat-messages';
import type { ChatMessage, VlmArchitecture } from './architectures';
import type { PromptSpec, VlmHandle } from './types';

/** A decoded image, a file path, or encoded image bytes (jpeg/png/webp…). */
export type VlmImage = RawImage | string | Uint8Array;

export interface VlmInputs {
  /** Everything the processor produced (input_ids, attention_mask, pixel_values, …). */
  inputs: Record<string, Tensor>;
  /** Rendered chat text before image-token expansion. */
  text: string;
  /** Number of prompt tokens (after the image placeholders were expanded). */
  promptLength: number;
}

export async function toRawImage(image: VlmImage): Promise<RawImage> {
  if (image instanceof RawImage) return image;
  if (typeof image === 'string') return RawImage.read(image);
  return RawImage.fromBlob(new Blob([image]));
}

/** The chat messages for one classification query, shaped by `architecture` (default: [system], user = image + text). */
export function buildMessages(prompt: PromptSpec, architecture?: VlmArchitecture): ChatMessage[] {
  return architecture ? architecture.buildMessages(prompt) : contentListMessages(prompt);
}

/** Applies the chat template (generation prompt on) and runs the processor with the arch's argument order. */
export async function buildVlmInputs(handle: VlmHandle, image: VlmImage, prompt: PromptSpec): Promise<VlmInputs> {
  return processVlmInputs(handle.processor, handle.architecture, image, prompt);
}

/** buildVlmInputs without a loaded model: the fine-tune trainer prepares its inputs with the same processor call. */
export async function processVlmInputs(processorIn: Processor, architecture: VlmArchitecture, image: VlmImage, prompt: PromptSpec): Promise<VlmInputs> {
  const raw = await toRawImage(image);
  const processor = processorIn as unknown as {
    apply_chat_template(m: ChatMessage[], o: { add_generation_prompt: boolean }): string;
    (a: unknown, b: unknown): Promise<Record<string, Tensor>>;
  };
  const text = processor.apply_chat_template(buildMessages(prompt, architecture), { add_generation_prompt: true });
  const out = architecture.processorArgs === 'images-text' ? await processor(raw, text) : await processor(text, raw);
  const inputs: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(out)) {
    if (v && typeof v === 'object' && 'dims' in v) inputs[k] = v;
  }
  return { inputs, text, promptLength: inputs.input_ids.dims[1] };
}
