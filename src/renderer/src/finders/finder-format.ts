/** Names, blurbs and option fields of the finders as the Data view shows them (the list itself is FINDER_NAMES in src/shared). */
import type { FinderName } from '../../../shared/finder-types';
import type { Sample } from '../../../shared/domain';
import type { SuspectView } from '../../../shared/finder-runs';

export const FINDER_LABELS: Record<FinderName, { title: string; blurb: string }> = {
  duplicates: { title: 'Duplicates', blurb: 'Exact and near-duplicate images (resized, recompressed, lightly cropped), cross-class first' },
  quality: { title: 'Low quality', blurb: 'Tiny, extreme aspect, near-uniform, very dark/bright, blurry, grayscale in colour' },
  overlays: { title: 'Text overlays & banners', blurb: 'Banners, logos and text cards (OCR)' },
  'label-errors': { title: 'Likely label errors', blurb: "Confident learning on an eval run's class probabilities" },
};

export interface OptionField {
  key: string;
  label: string;
  kind: 'int' | 'number' | 'boolean' | 'lines';
  min?: number;
  max?: number;
  step?: number;
  help?: string;
}

/** Editable options per finder (defaults come from the finder's schema in main; blank = default). */
export const OPTION_FIELDS: Record<FinderName, OptionField[]> = {
  duplicates: [{ key: 'radius', label: 'Hamming radius', kind: 'int', min: 0, max: 32, help: 'Max differing bits of the 64-bit perceptual hash (default 10)' }],
  quality: [
    { key: 'minSide', label: 'Min side (px)', kind: 'int', min: 1, max: 10000, help: 'default 64' },
    { key: 'maxAspect', label: 'Max aspect ratio', kind: 'number', min: 1, max: 100, step: 0.5, help: 'default 4' },
    { key: 'minStd', label: 'Min contrast (luma std)', kind: 'number', min: 0, max: 128, help: 'default 6' },
    { key: 'darkMean', label: 'Dark below (mean luma)', kind: 'number', min: 0, max: 255, help: 'default 20' },
    { key: 'brightMean', label: 'Bright above (mean luma)', kind: 'number', min: 0, max: 255, help: 'default 240' },
    { key: 'minLaplacianVar', label: 'Blur: min Laplacian variance', kind: 'number', min: 0, help: 'default 40' },
  ],
  overlays: [
    { key: 'keywords', label: 'Keyword rules', kind: 'lines' },
    { key: 'ocrAll', label: 'OCR every image (skip the prefilter)', kind: 'boolean' },
  ],
  // The eval run is picked from a list of the dataset's runs (EvalRunPicker), not typed.
  'label-errors': [],
};

/** A suspect as the sample grid's tiles want it. */
export function suspectAsSample(s: SuspectView, datasetId: number): Sample {
  return {
    id: s.sampleId,
    datasetId,
    imageHash: s.imageHash,
    originalPath: s.originalPath,
    width: s.width,
    height: s.height,
    format: s.format,
    bytes: s.bytes,
    classId: s.classId,
    label: s.className,
    split: s.split,
    status: s.status,
    dropReason: s.dropReason,
    notes: s.notes,
    updatedAt: s.updatedAt,
  };
}
