/** The New eval form's candidate-label logic: pasted text + locked classes → the run's candidates, extras, abstain pick and problems. */
import { describe, expect, it } from 'vitest';
import { candidateChoice } from '../../../src/renderer/src/evals/candidate-labels-field';

// A few of the walkthrough's makers (the full 49 live in tests/support, outside the renderer's tsconfig).
const MAKERS = ['AM', 'Acura', 'Audi', 'BMW', 'Bentley', 'Chevrolet', 'Dodge', 'Ford', 'Hyundai', 'Tesla', 'smart'];
const SIX = ['Audi', 'BMW', 'Chevrolet', 'Dodge', 'Ford', 'Hyundai'];

describe('candidateChoice', () => {
  it('nothing pasted: the classes only, no extras, no abstain', () => {
    expect(candidateChoice(['cat', 'dog'], '', 'unknown')).toEqual({ labels: ['cat', 'dog'], extra: [], abstainLabel: null, problem: null });
  });

  it("a pasted walkthrough-style list keeps its order; the makers that are no class are the extras", () => {
    const c = candidateChoice(SIX, MAKERS.map((m) => `- ${m}`).join('\n'), '');
    expect(c.labels).toEqual(MAKERS);
    expect(c.extra).toEqual(['AM', 'Acura', 'Bentley', 'Tesla', 'smart']);
    expect(c.abstainLabel).toBeNull();
  });

  it('keeps an abstain pick only while it is an extra candidate', () => {
    expect(candidateChoice(['cat', 'dog'], 'unknown\nfox', 'unknown').abstainLabel).toBe('unknown');
    expect(candidateChoice(['cat', 'dog'], 'fox', 'unknown').abstainLabel).toBeNull();
    expect(candidateChoice(['cat', 'dog'], 'dog\nfox', 'dog').abstainLabel).toBeNull();
  });

  it('reports a label the label rule refuses', () => {
    expect(candidateChoice(['cat', 'dog'], 'fox\nbad\u0001label', '').problem).toMatch(/^Candidate "bad.label": the label contains the control character U\+0001/);
  });
});
