/** mapToLabel: exact, then normalised (case, whitespace, punctuation, plural "s") matching; else off-label. */
import { describe, expect, it } from 'vitest';
import { mapToLabel, normalizeAnswer } from '../../src/main/inference/vlm/label-match';

const LABELS = ['cat', 'dog', 'Chevrolet', 'Chrysler', 'Ford', 'Ford Motor', 'Land Rover'];

describe('mapToLabel', () => {
  it('matches exactly (after trimming)', () => {
    expect(mapToLabel('cat', LABELS)).toBe('cat');
    expect(mapToLabel('  Ford Motor\n', LABELS)).toBe('Ford Motor');
  });

  it('matches case, whitespace, punctuation and plural variants', () => {
    expect(mapToLabel('CAT', LABELS)).toBe('cat');
    expect(mapToLabel('Dogs.', LABELS)).toBe('dog');
    expect(mapToLabel('- chevrolet', LABELS)).toBe('Chevrolet');
    expect(mapToLabel('"land   rover"!', LABELS)).toBe('Land Rover');
    expect(mapToLabel('ford-motor', LABELS)).toBe('Ford Motor');
  });

  it('returns null for off-label or ambiguous answers', () => {
    expect(mapToLabel('The animal is a cat', LABELS)).toBeNull();
    expect(mapToLabel('horse', LABELS)).toBeNull();
    expect(mapToLabel('', LABELS)).toBeNull();
    expect(mapToLabel('...', LABELS)).toBeNull();
    expect(mapToLabel('Cats', ['cat', 'cats'])).toBeNull();
    expect(mapToLabel('cats', ['cat', 'cats'])).toBe('cats');
  });

  it('normalises without merging distinct words', () => {
    expect(normalizeAnswer('  Glass  ')).toBe('glass');
    expect(normalizeAnswer('Rolls-Royce')).toBe('roll royce');
    expect(normalizeAnswer('Bus')).toBe('bu');
    expect(normalizeAnswer('Buses')).not.toBe(normalizeAnswer('Bus'));
  });
});
