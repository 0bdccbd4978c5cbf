/** Size presets: 'tiny' (~100k params, tests) and 'bench' (~100M+ params, realistic per-token compute). */
import type { LayerKind } from './text-graphs';

export type TinyVlmSize = 'tiny' | 'bench';
export const TINY_VLM_SIZES: readonly TinyVlmSize[] = ['tiny', 'bench'];

/** Transformer layers inside the vision encoder (0 = patch embedding + projector only, as in 'tiny'). */
export interface VisionLayersSpec {
  layers: number;
  heads: number;
  ffn: number;
}

export interface Lfm2SizeSpec {
  /** Pad the vocabulary (and lm_head) to this many ids; 0 = byte-level vocab only. */
  vocabPadTo: number;
  hidden: number;
  heads: number;
  headDim: number;
  ffn: number;
  layerTypes: LayerKind[];
  visionHidden: number;
  visionIntermediate: number;
  visionLayers: VisionLayersSpec;
  numPatches: number;
  maxImageTokens: number;
  minImageTokens: number;
  maxNumPatches: number;
  tileSize: number;
}

/**
 * 'bench' follows LFM2-VL-450M where it matters for cost: LFM2-350M-like text width (hidden 1024,
 * 16 heads × 64, conv and attention layers), SigLIP2-base-like vision width (768) over up to 1024
 * patches, and the real processor settings (512-pixel tiles, 64–256 image tokens). Fewer layers and a
 * 4096-id vocabulary keep the folder ~0.5 GB and generation under a minute.
 */
export const LFM2_SIZES: Record<TinyVlmSize, Lfm2SizeSpec> = {
  tiny: {
    vocabPadTo: 0,
    hidden: 32,
    heads: 2,
    headDim: 16,
    ffn: 64,
    layerTypes: ['conv', 'full_attention'],
    visionHidden: 16,
    visionIntermediate: 32,
    visionLayers: { layers: 0, heads: 1, ffn: 32 },
    numPatches: 64,
    maxImageTokens: 16,
    minImageTokens: 4,
    maxNumPatches: 64,
    tileSize: 64,
  },
  bench: {
    vocabPadTo: 4096,
    hidden: 1024,
    heads: 16,
    headDim: 64,
    ffn: 2816,
    layerTypes: ['conv', 'conv', 'full_attention', 'conv', 'conv', 'full_attention', 'conv', 'full_attention'],
    visionHidden: 768,
    visionIntermediate: 1536,
    visionLayers: { layers: 2, heads: 12, ffn: 1536 },
    numPatches: 256,
    maxImageTokens: 256,
    minImageTokens: 64,
    maxNumPatches: 1024,
    tileSize: 512,
  },
};

export interface SmolSizeSpec {
  vocabPadTo: number;
  hidden: number;
  heads: number;
  headDim: number;
  ffn: number;
  layers: number;
  imageSize: number;
  patchSize: number;
  scaleFactor: number;
  visionHidden: number;
  visionIntermediate: number;
  visionLayers: VisionLayersSpec;
}

/**
 * 'bench' follows SmolVLM-500M where it matters for cost: text hidden 960 (15 heads × 64), SigLIP-like
 * vision width 768 on 512-pixel frames (1024 patches, pixel-shuffle 4 → 64 tokens per frame), frames
 * split from a 1024-pixel longest edge. Fewer layers and a 4096-id vocabulary keep generation fast.
 */
export const SMOL_SIZES: Record<TinyVlmSize, SmolSizeSpec> = {
  tiny: {
    vocabPadTo: 0,
    hidden: 32,
    heads: 2,
    headDim: 16,
    ffn: 64,
    layers: 2,
    imageSize: 64,
    patchSize: 16,
    scaleFactor: 2,
    visionHidden: 16,
    visionIntermediate: 32,
    visionLayers: { layers: 0, heads: 1, ffn: 32 },
  },
  bench: {
    vocabPadTo: 4096,
    hidden: 960,
    heads: 15,
    headDim: 64,
    ffn: 2560,
    layers: 8,
    imageSize: 512,
    patchSize: 16,
    scaleFactor: 4,
    visionHidden: 768,
    visionIntermediate: 1536,
    visionLayers: { layers: 2, heads: 12, ffn: 1536 },
  },
};
