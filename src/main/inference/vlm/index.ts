/** VLM engine: load a local image-text-to-text ONNX model and classify an image in raw / constrained / scored mode. */
export { loadVlm } from './load-vlm';
export { detectDevices, probeDevice } from '../../runtime/provider-status';
export type { DeviceStatus } from '../../../shared/runtime-types';
export { inspectModelDir, resolveDtypes, DTYPE_SUFFIX, type ModelDirInfo } from './model-dir';
export {
  BUILT_IN_VLM_ARCHITECTURES,
  findVlmArchitecture,
  registerVlmArchitecture,
  supportedVlmTypes,
  vlmArchitectures,
  type ArchConfigProblem,
  type ChatMessage,
  type VlmArchitecture,
} from './architectures';
export { buildMessages, buildVlmInputs, toRawImage, type VlmImage, type VlmInputs } from './build-prompt';
export { mapToLabel, normalizeAnswer } from './label-match';
export { labelTokenSequences, buildTrie, walkTrie, type TrieNode } from './label-tokens';
export { TrieLogitsProcessor } from './trie-logits-processor';
export { decodeRaw, type RawOptions } from './decode-raw';
export { decodeConstrained } from './decode-constrained';
export { decodeScored, scoreLabelTokens, scoreLabelTokensFullPass, rankLabels, type ScoredOptions } from './decode-scored';
export { bareSessionsRun, createBareSessions, type BareSessions, type BareRunOptions, type BareRunResult } from './bare-sessions';
export { acquireSession, sessionCacheCounters, sessionCacheStats, type SessionLease, type SessionRequest } from './session-cache';
export { onnxFingerprint } from './onnx-fingerprint';
export { VlmError, type VlmErrorReason } from './errors';
export * from './types';
