/** Cheap "is there printed text here?" test on a downscaled grayscale copy, so OCR (≈0.1–0.5 s/image) runs only where it can pay off. */
import sharp from 'sharp';

/** Side (px) of the analysis image's longer edge and of the square blocks it is cut into. */
const ANALYSIS_SIDE = 256;
const BLOCK = 16;
/** A pixel is a stroke edge when its horizontal or vertical step is at least this (0–255). */
const EDGE_STEP = 48;

export interface TextRegion {
  /** Bounding box in original-image pixels of the rows of text-like blocks (what OCR gets as a crop). */
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PrefilterResult {
  /** Fraction of blocks that look like printed text/graphics (two-tone, high contrast, dense sharp edges), 0–1. */
  textScore: number;
  /** Longest horizontal run of adjacent text-like blocks, as a fraction of the row (banners and text lines are wide). */
  runScore: number;
  /** Where the text-like blocks are; null when none. */
  region: TextRegion | null;
  /** Horizontal bands of text-like runs (text lines, strips, captions), strongest first, at most 3; OCR'd as binarized crops. */
  bands: TextRegion[];
  width: number;
  height: number;
}

/** Combined likelihood (0–1) used for both the OCR gate and, when OCR reads nothing, the ranking of graphic logos. */
export function prefilterLikelihood(p: Pick<PrefilterResult, 'textScore' | 'runScore'>): number {
  return Math.min(1, 0.6 * Math.min(1, p.textScore * 4) + 0.4 * p.runScore);
}

/** Decodes, downsizes and scores one image; throws sharp's error for an undecodable file (the finder turns it into a per-sample reason). */
export async function textPrefilter(input: string | Buffer): Promise<PrefilterResult> {
  const image = sharp(input, { failOn: 'truncated', limitInputPixels: 100_000_000 });
  const meta = await image.metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  const { data, info } = await image
    .autoOrient()
    .resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: false })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const bw = Math.floor(w / BLOCK);
  const bh = Math.floor(h / BLOCK);
  if (bw === 0 || bh === 0) return { textScore: 0, runScore: 0, region: null, bands: [], width, height };
  const textLike: boolean[] = new Array<boolean>(bw * bh).fill(false);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      textLike[by * bw + bx] = isTextBlock(data, w, h, bx * BLOCK, by * BLOCK, hist);
    }
  }
  let count = 0;
  let bestRun = 0;
  let minRow = bh;
  let maxRow = -1;
  let minCol = bw;
  let maxCol = -1;
  for (let by = 0; by < bh; by++) {
    let run = 0;
    for (let bx = 0; bx < bw; bx++) {
      if (!textLike[by * bw + bx]) {
        run = 0;
        continue;
      }
      count++;
      run++;
      bestRun = Math.max(bestRun, run);
      // Region = rows/cols holding runs of ≥ 2 adjacent text blocks (isolated blocks are usually fur or foliage).
      const left = bx > 0 && textLike[by * bw + bx - 1];
      const right = bx + 1 < bw && textLike[by * bw + bx + 1];
      if (left || right) {
        minRow = Math.min(minRow, by);
        maxRow = Math.max(maxRow, by);
        minCol = Math.min(minCol, bx);
        maxCol = Math.max(maxCol, bx);
      }
    }
  }
  const sx = width / w;
  const sy = height / h;
  const region: TextRegion | null =
    maxRow < 0
      ? null
      : clampRegion(
          {
            left: Math.round((minCol - 1) * BLOCK * sx),
            top: Math.round((minRow - 1) * BLOCK * sy),
            width: Math.round((maxCol - minCol + 3) * BLOCK * sx),
            height: Math.round((maxRow - minRow + 3) * BLOCK * sy),
          },
          width,
          height,
        );
  const bands = findBands(textLike, bw, bh).map((b) =>
    clampRegion(
      { left: Math.round(b.left * BLOCK * sx), top: Math.round((b.top - 0.5) * BLOCK * sy), width: Math.round(b.width * BLOCK * sx), height: Math.round((b.height + 1) * BLOCK * sy) },
      width,
      height,
    ),
  );
  return { textScore: count / (bw * bh), runScore: bestRun / bw, region, bands, width, height };
}

/** Consecutive block rows holding a run of ≥ 3 text blocks, at most a third of the image tall (taller = a whole card, read by the full pass). */
function findBands(textLike: boolean[], bw: number, bh: number): (TextRegion & { strength: number })[] {
  const bands: (TextRegion & { strength: number })[] = [];
  let current: (TextRegion & { strength: number; right: number }) | null = null;
  const close = () => {
    if (current && current.height <= Math.max(2, bh / 3)) bands.push({ ...current, width: current.right - current.left });
    current = null;
  };
  for (let by = 0; by < bh; by++) {
    let run = 0;
    let rowLeft = bw;
    let rowRight = -1;
    let rowStrength = 0;
    for (let bx = 0; bx <= bw; bx++) {
      if (bx < bw && textLike[by * bw + bx]) {
        run++;
        continue;
      }
      if (run >= 3) {
        rowLeft = Math.min(rowLeft, bx - run);
        rowRight = Math.max(rowRight, bx);
        rowStrength += run;
      }
      run = 0;
    }
    if (rowRight < 0) {
      close();
      continue;
    }
    if (!current) current = { left: rowLeft, top: by, width: 0, height: 0, right: rowRight, strength: 0 };
    current.left = Math.min(current.left, rowLeft);
    current.right = Math.max(current.right, rowRight);
    current.height = by - current.top + 1;
    current.strength += rowStrength;
  }
  close();
  return bands.sort((a, b) => b.strength - a.strength).slice(0, 3);
}

function clampRegion(r: TextRegion, width: number, height: number): TextRegion {
  const left = Math.max(0, r.left);
  const top = Math.max(0, r.top);
  return { left, top, width: Math.max(1, Math.min(width - left, r.width + r.left - left)), height: Math.max(1, Math.min(height - top, r.height + r.top - top)) };
}

/** Printed text and flat graphics: bimodal (Otsu separates ≥ 85% of the variance), high contrast, many sharp edges but not noise. */
function isTextBlock(data: Buffer, w: number, h: number, x0: number, y0: number, hist: Uint32Array): boolean {
  hist.fill(0);
  let sum = 0;
  let sumSq = 0;
  let edges = 0;
  for (let y = y0; y < y0 + BLOCK; y++) {
    const row = y * w;
    for (let x = x0; x < x0 + BLOCK; x++) {
      const v = data[row + x]!;
      hist[v]!++;
      sum += v;
      sumSq += v * v;
      const dx = x + 1 < w ? Math.abs(data[row + x + 1]! - v) : 0;
      const dy = y + 1 < h ? Math.abs(data[row + w + x]! - v) : 0;
      if (dx >= EDGE_STEP || dy >= EDGE_STEP) edges++;
    }
  }
  const n = BLOCK * BLOCK;
  const mean = sum / n;
  const variance = sumSq / n - mean * mean;
  if (variance < 40 * 40) return false;
  const edgeDensity = edges / n;
  if (edgeDensity < 0.08 || edgeDensity > 0.6) return false;
  return otsuSeparation(hist, n, sum, variance) >= 0.85;
}

/** Otsu's between-class variance divided by the total variance: 1 for a perfectly two-tone block. */
function otsuSeparation(hist: Uint32Array, n: number, sum: number, variance: number): number {
  let wB = 0;
  let sumB = 0;
  let best = 0;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = n - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = (wB * wF * (mB - mF) * (mB - mF)) / (n * n);
    if (between > best) best = between;
  }
  return best / variance;
}
