/** Public surface of the tiny random-weight VLM generator (tests, benches, the make-tiny-vlm CLI). */
export { writeTinyVlm, ensureTinyVlm, hashTree, TINY_VLM_ARCHES, TINY_VLM_VERSION } from './generate';
export type { TinyVlmArch, TinyVlmOptions, TinyVlmResult } from './generate';
export { LFM2_VL_CHAT_TEMPLATE } from './arch-lfm2-vl';
export { SMOLVLM_CHAT_TEMPLATE } from './arch-smolvlm';
export { TINY_VLM_SIZES, LFM2_SIZES, SMOL_SIZES, type TinyVlmSize } from './sizes';
export { editOnnx, moveToExternalData, perturbInitializers, writeFineTuneCopy, type PerturbOptions } from './fine-tune-copy';
