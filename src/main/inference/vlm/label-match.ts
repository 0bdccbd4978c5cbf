/** Maps free-form model output to a label: exact match, then a normalised match, else null (off-label). */

/** Lowercase, punctuation/symbols → spaces, collapsed whitespace, trailing plural "s" dropped per word. */
export function normalizeAnswer(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 2 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .join(' ');
}

/**
 * Exact (trimmed) match first; then the unique label whose normalised form equals the answer's.
 * Returns null when nothing matches or when several labels normalise to the same text.
 */
export function mapToLabel(raw: string, labels: readonly string[]): string | null {
  const trimmed = raw.trim();
  const exact = labels.find((l) => l === trimmed);
  if (exact !== undefined) return exact;
  const norm = normalizeAnswer(trimmed);
  if (!norm) return null;
  const hits = labels.filter((l) => normalizeAnswer(l) === norm);
  return hits.length === 1 ? hits[0] : null;
}
