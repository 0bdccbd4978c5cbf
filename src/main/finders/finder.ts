/** The finder contract: each finder ranks a dataset's active samples into suspects; the framework stores them as a review queue. */
import type { FinderName, FinderOptions, Suspect } from '../../shared/finder-types';
import type { Db } from '../db/open-database';

/** One sample as finders see it: its stored image on disk and its current label. */
export interface FinderSample {
  sampleId: number;
  /** Absolute path of the stored image file (content-addressed store). */
  path: string;
  /** The file's original path at import (what CLI output prints). */
  originalPath: string;
  className: string | null;
  width: number | null;
  height: number | null;
  sha256: string;
}

export interface FinderContext<N extends FinderName> {
  db: Db;
  workspaceRoot: string;
  datasetId: number;
  samples: FinderSample[];
  options: FinderOptions[N];
  signal: AbortSignal;
  progress(value: number, message: string): void;
  /** Optional: dataset-wide figures the UI draws beside the queue (e.g. the quality finder's metric values for histograms). */
  stats?(stats: Record<string, unknown>): void;
}

export interface Finder<N extends FinderName> {
  name: N;
  /** Ranked suspects, most suspect first; throws a plain-words error when it cannot run (e.g. label-errors without probabilities). */
  run(ctx: FinderContext<N>): Promise<Suspect[]>;
}
