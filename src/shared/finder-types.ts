/** Data-quality finders: their names (the one list), options and the ranked suspects they put in review queues. */
import { z } from 'zod';

export const FINDER_NAMES = ['overlays', 'duplicates', 'label-errors', 'quality'] as const;
export type FinderName = (typeof FINDER_NAMES)[number];

/** One ranked suspect: rank follows score (higher = more suspect); detail is finder-specific (words found, pHash distance, metrics…). */
export interface Suspect {
  sampleId: number;
  score: number;
  /** One line a person reads on the tile ("text: ADOPTED (conf 91)", "blurry: Laplacian var 12.3 < 40"). */
  reason: string;
  /** Duplicates: members of one group share a group number (1-based, groups ranked cross-class first). */
  group: number | null;
  /** Label errors: the class the evidence points to. */
  suggestedLabel: string | null;
  detail: Record<string, unknown>;
}

/** Options per finder, validated in main (IPC, CLI and the job's params use these). */
export const finderOptionSchemas = {
  overlays: z.strictObject({
    /** Words or regexes (case-insensitive) that mark a banner/text card; a match ranks first. */
    keywords: z.array(z.string().min(1).max(200)).max(200).default(['adopt', 'mail', 'www\\.', 'https?://', '\\.com']),
    /** Skip the cheap text prefilter and OCR every image. */
    ocrAll: z.boolean().default(false),
  }),
  duplicates: z.strictObject({
    /**
     * Max Hamming distance between 64-bit perceptual hashes for two images to be near-duplicates. 10, measured on
     * oxford-pets-370: resized/recompressed copies land at 0–4, 5%-cropped ones at 2–12 (92% ≤ 10), different photos ≥ 14.
     */
    radius: z.number().int().min(0).max(32).default(10),
  }),
  'label-errors': z.strictObject({
    /** The eval run whose out-of-sample class probabilities are used (a scored VLM run or a classifier run with a class mapping). */
    runId: z.number().int().positive(),
  }),
  quality: z.strictObject({
    minSide: z.number().int().min(1).max(10_000).default(64),
    maxAspect: z.number().min(1).max(100).default(4),
    minStd: z.number().min(0).max(128).default(6),
    darkMean: z.number().min(0).max(255).default(20),
    brightMean: z.number().min(0).max(255).default(240),
    minLaplacianVar: z.number().min(0).default(40),
  }),
} satisfies Record<FinderName, z.ZodType>;
export type FinderOptions = { [K in FinderName]: z.output<(typeof finderOptionSchemas)[K]> };
