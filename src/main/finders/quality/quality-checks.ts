/** The quality finder's rules: which measures fail which threshold, how badly, and the one-line reason a tile shows. */
import type { FinderOptions } from '../../../shared/finder-types';
import type { ImageMetrics } from './image-metrics';

/** Below this colourfulness an image reads as grayscale; flagged only when most of the dataset is in colour. */
export const GRAYSCALE_COLOURFULNESS = 3;

export interface Failure {
  check: 'tiny' | 'aspect' | 'uniform' | 'dark' | 'bright' | 'blurry' | 'grayscale';
  /** 0..1: how far past the threshold. */
  severity: number;
  text: string;
}

const clamp = (v: number): number => Math.max(0, Math.min(1, v));
const f1 = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

/** Failed checks of one image, most severe first. */
export function qualityFailures(m: ImageMetrics, o: FinderOptions['quality'], colourDataset: boolean): Failure[] {
  const out: Failure[] = [];
  if (m.minSide < o.minSide) out.push({ check: 'tiny', severity: clamp(1 - m.minSide / o.minSide), text: `tiny: ${m.width}×${m.height} < ${o.minSide} px` });
  if (m.aspect > o.maxAspect) out.push({ check: 'aspect', severity: clamp(m.aspect / o.maxAspect - 1), text: `extreme aspect ${f1(m.aspect)}:1 > ${o.maxAspect}:1` });
  if (m.std < o.minStd) out.push({ check: 'uniform', severity: clamp(1 - m.std / Math.max(o.minStd, 1e-9)), text: `near-uniform: std ${f1(m.std)} < ${o.minStd}` });
  if (m.mean < o.darkMean) out.push({ check: 'dark', severity: clamp(1 - m.mean / Math.max(o.darkMean, 1e-9)), text: `very dark: mean ${f1(m.mean)} < ${o.darkMean}` });
  if (m.mean > o.brightMean) out.push({ check: 'bright', severity: clamp((m.mean - o.brightMean) / Math.max(255 - o.brightMean, 1e-9)), text: `very bright: mean ${f1(m.mean)} > ${o.brightMean}` });
  // A uniform image has no edges at all; calling it blurry too would only repeat the same fact.
  if (m.laplacianVar < o.minLaplacianVar && m.std >= o.minStd) {
    out.push({ check: 'blurry', severity: clamp(1 - m.laplacianVar / Math.max(o.minLaplacianVar, 1e-9)), text: `blurry: Laplacian var ${f1(m.laplacianVar)} < ${o.minLaplacianVar}` });
  }
  // A near-black or flat image has no colour to speak of; "grayscale" would only repeat that.
  const flat = out.some((f) => f.check === 'uniform' || f.check === 'dark' || f.check === 'bright');
  if (colourDataset && !flat && m.colourfulness < GRAYSCALE_COLOURFULNESS) {
    out.push({ check: 'grayscale', severity: 0.3, text: `grayscale in a colour dataset (colourfulness ${f1(m.colourfulness)})` });
  }
  return out.sort((a, b) => b.severity - a.severity);
}

/** Score: one point per failed check plus up to one for the worst severity (ranks many/severe failures first). */
export function qualityScore(failures: readonly Failure[]): number {
  if (failures.length === 0) return 0;
  return failures.length + Math.max(...failures.map((f) => f.severity));
}
