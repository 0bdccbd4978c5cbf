/** The finders the studio can run, by name (every name in FINDER_NAMES); an unknown name answers in plain words. */
import type { FinderName } from '../../shared/finder-types';
import { StudioError } from '../errors';
import type { Finder } from './finder';
import { duplicatesFinder } from './duplicates/duplicates-finder';
import { qualityFinder } from './quality/quality-finder';
import { overlaysFinder } from './overlays';
import { labelErrorsFinder } from './label-errors';

type Registry = { [N in FinderName]?: Finder<N> };

const FINDERS: Registry = {
  duplicates: duplicatesFinder,
  quality: qualityFinder,
  overlays: overlaysFinder,
  'label-errors': labelErrorsFinder,
};

/** True when the named finder is registered (the UI greys out the others). */
export function finderAvailable(name: FinderName): boolean {
  return FINDERS[name] !== undefined;
}

export function getFinder<N extends FinderName>(name: N): Finder<N> {
  const finder = (FINDERS as Record<string, Finder<N> | undefined>)[name];
  if (!finder) throw new StudioError('failed', `the ${name} finder is not available yet`);
  return finder;
}
