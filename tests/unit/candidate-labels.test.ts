/** Open label sets in config and validation: candidate_labels / abstain_label YAML keys, pasted lists, checkRunLabels. */
import { describe, expect, it } from 'vitest';
import { candidateListProblem, mergeCandidates, parseCandidateList } from '../../src/shared/candidate-labels';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { checkAbstainLabel, checkRunLabels, truthLabelsOf } from '../../src/main/evals/eval-labels';
import { mapToLabel } from '../../src/main/inference/vlm/label-match';
import { CAR_MAKERS_49, SIX_MAKES } from '../support/car-makers';

describe('candidate lists', () => {
  it('parses a pasted prompt list: bullets, blank lines and # comments dropped, order kept', () => {
    expect(parseCandidateList('# makers\n- AM\n  - Acura\n\n* Aston\nMercedes-Benz\r\nLand\n')).toEqual(['AM', 'Acura', 'Aston', 'Mercedes-Benz', 'Land']);
    expect(candidateListProblem(['ok', 'bad\u0007'])).toMatch(/"bad.": the label contains the control character U\+0007/);
    expect(candidateListProblem(['a', 'b'])).toBeNull();
  });

  it('merges the locked-in classes with extra candidates, keeping the pasted order', () => {
    expect(mergeCandidates(SIX_MAKES, CAR_MAKERS_49)).toEqual([...CAR_MAKERS_49]);
    expect(mergeCandidates(['cat', 'dog'], ['unknown', 'dog', 'fox', 'fox'])).toEqual(['cat', 'unknown', 'dog', 'fox']);
    expect(mergeCandidates(['cat', 'dog'], [])).toEqual(['cat', 'dog']);
  });
});

describe('checkRunLabels / checkAbstainLabel (open label sets)', () => {
  it('accepts a superset of the classes and derives the truth classes in candidate order', () => {
    const labels = checkRunLabels(['Ford', 'Audi', 'BMW', 'Chevrolet', 'Dodge', 'Hyundai'], [...CAR_MAKERS_49]);
    expect(labels).toHaveLength(49);
    expect(truthLabelsOf(labels, ['Ford', 'Audi', 'BMW', 'Chevrolet', 'Dodge', 'Hyundai'])).toEqual([...SIX_MAKES]);
    expect(checkRunLabels(['cat', 'dog'])).toEqual(['cat', 'dog']);
  });

  it('raw answers map to any of the 49 candidates, not just the truth classes', () => {
    expect(mapToLabel('mercedes benz', CAR_MAKERS_49)).toBe('Mercedes-Benz');
    expect(mapToLabel(' Tesla\n', CAR_MAKERS_49)).toBe('Tesla');
    expect(mapToLabel('rolls royce.', CAR_MAKERS_49)).toBe('Rolls-Royce');
    expect(mapToLabel('a red sports car', CAR_MAKERS_49)).toBeNull();
  });

  it('names every missing class, and refuses repeats', () => {
    const noFordNoDodge = CAR_MAKERS_49.filter((m) => m !== 'Ford' && m !== 'Dodge');
    expect(() => checkRunLabels([...SIX_MAKES], noFordNoDodge)).toThrow(/must include every class of the snapshot .*; missing: Dodge, Ford$/);
    expect(() => checkRunLabels(['cat', 'dog'], ['cat', 'dog', 'cat'])).toThrow(/"cat" appears twice/);
  });

  it('an abstain label must be a candidate outside the classes', () => {
    expect(checkAbstainLabel(['cat', 'dog', 'unknown'], ['cat', 'dog'], 'unknown')).toBe('unknown');
    expect(checkAbstainLabel(['cat', 'dog'], ['cat', 'dog'], '')).toBeNull();
    expect(checkAbstainLabel(['cat', 'dog'], ['cat', 'dog'], null)).toBeNull();
    expect(() => checkAbstainLabel(['cat', 'dog'], ['cat', 'dog'], 'unknown')).toThrow(/not one of the candidate labels/);
    expect(() => checkAbstainLabel(['cat', 'dog', 'other'], ['cat', 'dog', 'other'], 'other')).toThrow(/is a class of the snapshot/);
  });
});

describe('eval YAML: candidate_labels and abstain_label', () => {
  const base = 'model: m\ndataset: d\n';
  it('takes candidate_labels as a list or as a file path, and abstain_label', () => {
    const list = parseEvalConfig(`${base}candidate_labels: [cat, dog, fox, unknown]\nabstain_label: unknown\n`);
    expect(list).toMatchObject({ candidateLabels: ['cat', 'dog', 'fox', 'unknown'], candidateLabelsFile: null, abstainLabel: 'unknown', labels: null });
    const file = parseEvalConfig(`${base}candidate_labels: makers.txt\nlabel_mapping:\n  0: Audi\n  1: BMW\n`);
    expect(file).toMatchObject({ candidateLabels: null, candidateLabelsFile: 'makers.txt', abstainLabel: null, labels: ['Audi', 'BMW'] });
    expect(parseEvalConfig(base)).toMatchObject({ candidateLabels: null, candidateLabelsFile: null, abstainLabel: null });
  });

  it('names the key and the problem for bad candidate lists', () => {
    const bad: [string, RegExp][] = [
      [`${base}candidate_labels: [cat, dog, cat]\n`, /candidate_labels lists "cat" twice/],
      [`${base}candidate_labels: [cat]\n`, /candidate_labels: needs at least 2 labels/],
      [`${base}candidate_labels: [cat, "do\u0000g"]\n`, /candidate_labels/],
      [`${base}abstain_label: ""\n`, /abstain_label: the label is empty/],
      [`${base}candidate_labels: 3\n`, /candidate_labels: Invalid input/],
    ];
    for (const [text, message] of bad) expect(() => parseEvalConfig(text), text).toThrow(message);
  });
});
