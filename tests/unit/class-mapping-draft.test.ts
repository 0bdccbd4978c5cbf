/** The class-mapping editor's draft: search (text, index range), assign/unassign, ranges, and the saved JSON round trip. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMAGENET_CATS_VS_DOGS, resolveClassMapping } from '../../src/main/inference/classifier/class-mapping';
import { assignTo, draftFromMapping, draftProblem, emptyDraft, mappingFromDraft, removeTarget, searchLabels, toRanges } from '../../src/shared/class-mapping-draft';
import { MOBILENET_DIR } from './eval-fixture';

const LABELS = readFileSync(join(MOBILENET_DIR, 'labels.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');

describe('mapping draft', () => {
  it('searches the real ImageNet labels by text and by index range', () => {
    const terriers = searchLabels(LABELS, 'Terrier');
    expect(terriers.length).toBe(19);
    expect(terriers.every((i) => i >= 151 && i <= 268)).toBe(true); // every terrier is one of ImageNet's dogs
    expect(terriers.every((i) => LABELS[i].toLowerCase().includes('terrier'))).toBe(true);
    expect(searchLabels(LABELS, '151–268')).toHaveLength(118);
    expect(searchLabels(LABELS, '285 - 281').map((i) => LABELS[i])).toEqual(['tabby', 'tiger cat', 'Persian cat', 'Siamese cat', 'Egyptian cat']);
    expect(searchLabels(LABELS, '#151').map((i) => LABELS[i])).toEqual(['Chihuahua']);
    expect(searchLabels(LABELS, '  ')).toHaveLength(1000);
  });

  it('builds the preset from searches and round-trips through the saved JSON', () => {
    let d = emptyDraft(LABELS.length, 'mine');
    d = assignTo(d, searchLabels(LABELS, '281-285'), 'cat');
    d = assignTo(d, searchLabels(LABELS, '151-268'), 'dog');
    const m = mappingFromDraft(d);
    expect(m.classes).toEqual([...IMAGENET_CATS_VS_DOGS.classes]);
    expect(draftFromMapping(m, 1000)).toEqual(d);
    d = { ...d, rest: 'other' };
    expect(resolveClassMapping(mappingFromDraft(d), 1000).labels).toEqual(['cat', 'dog', 'other']);
    expect(draftProblem(d)).toBeNull();
  });

  it('compresses ranges, prunes emptied targets and removes a target with its classes', () => {
    expect(toRanges([5, 1, 2, 3, 9])).toEqual([{ from: 1, to: 3 }, 5, 9]);
    let d = assignTo(emptyDraft(10, 'x'), [1, 2], 'a');
    d = assignTo(d, [3], 'b');
    d = assignTo(d, [3], 'a');
    expect(d.targets).toEqual(['a']);
    expect(draftProblem(d)).toMatch(/at least two targets/);
    d = { ...assignTo(d, [4], 'b'), abstain: 'b' };
    expect(removeTarget(d, 'b')).toMatchObject({ targets: ['a'], abstain: null });
    expect(draftProblem({ ...emptyDraft(2, 'n'), assign: ['a', 'b'], targets: ['a', 'b'], rest: 'o' })).toMatch(/would get none/);
  });
});
