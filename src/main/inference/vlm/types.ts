/** Shared types of the VLM engine (handles, options and per-mode results). */
import type { PreTrainedModel, PreTrainedTokenizer, Processor } from '@huggingface/transformers';
import type { VlmArchitecture } from './architectures/types';

export type { PromptSpec } from './prompt-spec';

/** A config.json `model_type` the architecture registry (architectures/index.ts) knows. */
export type VlmArch = string;

/** transformers.js dtype names; each maps to an ONNX file-name suffix (see DTYPE_SUFFIX). */
export type VlmDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
export type VlmDevice = 'cpu' | 'cuda' | 'webgpu';
export type VlmSessionName = 'embed_tokens' | 'vision_encoder' | 'decoder_model_merged';
export const VLM_SESSIONS: readonly VlmSessionName[] = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'];

/** One dtype for every session, or one per session (real exports often mix, e.g. fp16 vision + q4 decoder). */
export type VlmDtypeSpec = VlmDtype | Partial<Record<VlmSessionName, VlmDtype>>;

export interface LoadVlmOptions {
  modelDir: string;
  dtype?: VlmDtypeSpec;
  device?: VlmDevice;
  /** Reuse cached sessions whose exported weights and graph match (default true); false = private sessions, as transformers.js makes them. */
  shareSessions?: boolean;
}

/** What a loaded model gives the decoding functions. */
export interface VlmHandle {
  /** config.json model_type. */
  arch: VlmArch;
  /** The registry module that runs it (processor argument order, end-of-turn token, message shaping). */
  architecture: VlmArchitecture;
  modelDir: string;
  device: VlmDevice;
  dtype: Record<VlmSessionName, VlmDtype>;
  processor: Processor;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  /** Token that ends an assistant turn (`<|im_end|>` for LFM2-VL, `<end_of_utterance>` for SmolVLM). */
  endOfTurnId: number;
  /** Every id that stops generation (generation_config eos ids plus the end-of-turn id). */
  eosIds: number[];
  /** Text the model writes before an answer word (the architecture's answerPrefix: " cat" for SmolVLM, "cat" for LFM2-VL). */
  answerPrefix: string;
  /** Per session, the session cache's id (equal ids across handles = one shared InferenceSession); null when loaded with shareSessions: false. */
  sharedSessionIds: Record<VlmSessionName, number> | null;
  /** Gives back this model's sessions (a shared one is released when its last model is). */
  dispose(): Promise<void>;
}

export interface RawResult {
  text: string;
  /** The label the text maps to (exact, then normalised match), or null when the answer is off-label. */
  label: string | null;
  tokenIds: number[];
  ms: number;
}

export interface StepLogProb {
  tokenId: number;
  /** log p(token) under the model's full distribution. */
  logProb: number;
  /** log p(token) renormalised over the tokens the trie allowed at this step. */
  constrainedLogProb: number;
}

export interface ConstrainedResult {
  label: string;
  tokenIds: number[];
  steps: StepLogProb[];
  /** exp(Σ logProb): the model's probability of the whole answer (label + end token). */
  sequenceProb: number;
  ms: number;
}

export interface LabelScore {
  label: string;
  /** Σ log p over the label's tokens and the end-of-turn token. */
  logProb: number;
  /** Per-token log-probs (label tokens, then the end-of-turn token). */
  tokenLogProbs: number[];
  /** Softmax of logProb over the label set. */
  prob: number;
}

export interface ScoredResult {
  /** Sorted by prob, highest first. */
  scores: LabelScore[];
  top: LabelScore;
  topK: LabelScore[];
  /** Probability of the top label (after the softmax over labels). */
  confidence: number;
  ms: number;
}
