/** The overlay finder's keyword rules remembered per dataset (checking them is src/shared/finder-keywords.ts). */
import { DEFAULT_KEYWORDS } from '../../../shared/finder-keywords';

export { checkKeywords, DEFAULT_KEYWORDS } from '../../../shared/finder-keywords';

const storageKey = (datasetId: number) => `vcs.finders.overlays.keywords.${datasetId}`;

/** The rules this dataset last ran with, else the defaults. */
export function loadKeywords(datasetId: number): string[] {
  try {
    const raw = window.localStorage.getItem(storageKey(datasetId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed) && parsed.every((k) => typeof k === 'string')) return parsed;
  } catch {
    // unreadable storage: fall back to the defaults
  }
  return [...DEFAULT_KEYWORDS];
}

/** Remembers the rules a run started with, so the next run on this dataset starts from them. */
export function saveKeywords(datasetId: number, keywords: string[]): void {
  try {
    window.localStorage.setItem(storageKey(datasetId), JSON.stringify(keywords));
  } catch {
    // storage full or disabled: the run still uses them
  }
}
