/** Robustness splits: the corruptions (the one list) and their severities, derived versions and the accuracy table. */
import type { EvalStatus } from './eval-types';

export const CORRUPTIONS = ['blur', 'noise', 'jpeg', 'downscale'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

/**
 * Severity 1..3 → the corruption's parameter: Gaussian blur sigma (px), Gaussian noise std (0–255 scale),
 * JPEG quality (lower = worse), downscale factor of each side.
 */
export const CORRUPTION_SEVERITIES: Readonly<Record<Corruption, readonly number[]>> = {
  blur: [1, 2.5, 5],
  noise: [10, 25, 50],
  jpeg: [40, 15, 5],
  downscale: [0.5, 0.25, 0.125],
};

export const CORRUPTION_LABELS: Readonly<Record<Corruption, (param: number) => string>> = {
  blur: (p) => `blur σ ${p}`,
  noise: (p) => `noise σ ${p}`,
  jpeg: (p) => `JPEG q ${p}`,
  downscale: (p) => `downscale ×${p}`,
};

/** A version derived from a snapshot's test split under one corruption at one severity (kept out of the dataset's samples). */
export interface DerivedVersion {
  versionId: number;
  sourceVersionId: number;
  name: string;
  corruption: Corruption;
  /** 1-based index into CORRUPTION_SEVERITIES[corruption]. */
  severity: number;
  param: number;
  seed: number;
  sampleCount: number;
}

/** One eval run in the robustness table. */
export interface RobustnessCell {
  runId: number;
  status: EvalStatus;
  doneCount: number;
  plannedCount: number;
  /** Accuracy once the run has metrics (done), else null. */
  accuracy: number | null;
}

/** The runs made from one template run (a finished run on the source's test split): clean + one per derived version. */
export interface RobustnessRow {
  templateRunId: number;
  /** Model + mode (+ class mapping) of the template, for the table's row header. */
  title: string;
  clean: RobustnessCell;
  /** Keyed by derived version id. */
  cells: Record<number, RobustnessCell>;
}

export interface RobustnessReport {
  sourceVersionId: number;
  derived: DerivedVersion[];
  rows: RobustnessRow[];
}

export interface DeriveJobResult {
  sourceVersionId: number;
  derivedVersionIds: number[];
  /** Images written by this job (an earlier, interrupted job's finished versions are kept, not redone). */
  imagesWritten: number;
  cancelled: boolean;
}
