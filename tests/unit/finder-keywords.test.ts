/** The overlay finder's keyword rules as the options dialog checks them: one rule a line, each a valid case-insensitive regex, defaults from the schema. */
import { expect, it } from 'vitest';
import { checkKeywords, DEFAULT_KEYWORDS } from '../../src/shared/finder-keywords';
import { finderOptionSchemas } from '../../src/shared/finder-types';

it('splits lines, ignores blanks and names each invalid pattern by line', () => {
  expect(checkKeywords('adopt\n\n  www\\.  \nhttps?://')).toEqual({ keywords: ['adopt', 'www\\.', 'https?://'], problems: [] });
  const bad = checkKeywords('adopt\n(unclosed\n[a-');
  expect(bad.keywords).toEqual(['adopt']);
  expect(bad.problems).toHaveLength(2);
  expect(bad.problems[0]).toMatch(/^line 2: "\(unclosed" is not a valid pattern \(.+\)$/);
  expect(bad.problems[1]).toMatch(/^line 3: /);
  expect(checkKeywords('x'.repeat(201)).problems).toEqual(['line 1: longer than 200 characters']);
  expect(checkKeywords('').keywords).toEqual([]);
});

it('starts from the finder schema defaults, which the main-side schema accepts as checked', () => {
  expect(DEFAULT_KEYWORDS).toContain('adopt');
  const checked = checkKeywords(DEFAULT_KEYWORDS.join('\n'));
  expect(checked.problems).toEqual([]);
  expect(finderOptionSchemas.overlays.parse({ keywords: checked.keywords }).keywords).toEqual([...DEFAULT_KEYWORDS]);
});
