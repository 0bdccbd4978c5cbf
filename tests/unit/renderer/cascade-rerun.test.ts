/** Rerun of a cascade run: the form's cascade choice from the run's stored cascade, and the create request it gives back. */
import { describe, expect, it } from 'vitest';
import { cascadeChoiceFromParams } from '../../../src/renderer/src/evals/cascade-rerun';
import { cascadeRequest } from '../../../src/renderer/src/evals/cascade-options';
import type { RegisteredModel } from '../../../src/shared/eval-types';

const vlm = { id: 2, kind: 'vlm' } as RegisteredModel;
const classes = [
  { label: 'pug', modelClasses: [254] },
  { label: 'beagle', modelClasses: [162, 163] },
];

describe('cascadeChoiceFromParams', () => {
  it('a by-name cascade reruns by name with its classifier and k', () => {
    const choice = cascadeChoiceFromParams({ classifierModelId: 7, k: 3, classMappingId: null, mapping: { name: 'by-name', classes } });
    expect(choice).toMatchObject({ enabled: true, classifierId: 7, k: '3', mapping: 'by-name', classMappingId: null, stage2Alone: true });
    expect(cascadeRequest(choice, vlm, 'scored')).toEqual({ cascade: { classifierModelId: 7, k: 3 } });
  });

  it('a custom mapping comes back as its JSON and recreates the same mapping', () => {
    const choice = cascadeChoiceFromParams({ classifierModelId: 7, k: 2, classMappingId: null, mapping: { name: 'custom', classes } });
    expect(choice).toMatchObject({ mapping: 'custom', k: '2' });
    expect(JSON.parse(choice.customJson)).toEqual({ pug: [254], beagle: [162, 163] });
    expect(cascadeRequest(choice, vlm, 'constrained')).toEqual({ cascade: { classifierModelId: 7, k: 2, mapping: { name: 'custom', classes } } });
  });

  it('a saved class mapping is kept by id (its current content is used), with the expanded copy ready as custom JSON', () => {
    const choice = cascadeChoiceFromParams({ classifierModelId: 7, k: 3, classMappingId: 4, mapping: { name: 'pets map', classes } });
    expect(choice).toMatchObject({ mapping: 'saved', classMappingId: 4 });
    expect(JSON.parse(choice.customJson)).toEqual({ pug: [254], beagle: [162, 163] });
    expect(cascadeRequest(choice, vlm, 'scored')).toEqual({ cascade: { classifierModelId: 7, k: 3, classMappingId: 4 } });
    expect(cascadeRequest({ ...choice, classMappingId: null }, vlm, 'scored')).toBe('Pick the saved class mapping');
    // Off for a mode without a choice among labels.
    expect(cascadeRequest(choice, vlm, 'raw')).toEqual({});
  });
});
