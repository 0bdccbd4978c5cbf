/** The overlay finder's keyword rules: the defaults from the finder's schema, validated as regexes, remembered per dataset. */
import { finderOptionSchemas } from '../../../shared/finder-types';

/** The finder's own defaults (one list, in src/shared). */
export const DEFAULT_KEYWORDS: readonly string[] = finderOptionSchemas.overlays.parse({}).keywords;

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

export interface KeywordCheck {
  keywords: string[];
  /** One plain-words problem per bad line ("line 3: …"); empty when every rule compiles. */
  problems: string[];
}

/** Splits the text into rules (one a line, blanks ignored) and checks each compiles as a case-insensitive regex. */
export function checkKeywords(text: string): KeywordCheck {
  const keywords: string[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const rule = line.trim();
    if (!rule) return;
    if (rule.length > 200) problems.push(`line ${i + 1}: longer than 200 characters`);
    else {
      try {
        new RegExp(rule, 'i');
        keywords.push(rule);
      } catch (err) {
        problems.push(`line ${i + 1}: "${rule}" is not a valid pattern (${err instanceof Error ? err.message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, '') : String(err)})`);
      }
    }
  });
  if (keywords.length > 200) problems.push('at most 200 rules');
  return { keywords, problems };
}
