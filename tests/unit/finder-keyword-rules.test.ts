/** The overlay finder's keyword rules stored per dataset in a real workspace SQLite file, through the real handler table and dispatcher. */
import { afterAll, describe, expect, it } from 'vitest';
import { createStudioCore } from '../../src/main/api/studio-core';
import { createDispatcher } from '../../src/main/api/dispatch';
import { createDataset } from '../../src/main/datasets/dataset-service';
import { loadKeywordRules, saveKeywordRules } from '../../src/main/finders/keyword-rules-store';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { DEFAULT_KEYWORDS } from '../../src/shared/finder-keywords';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

afterAll(() => cleanupTempDirs());

describe('finder keyword rules in the workspace', () => {
  it('starts from the shipped defaults, saves per dataset, reads back after reopening, refuses invalid rules whole', async () => {
    const root = makeTempDir('vcs-keywords-');
    const ws = openWorkspace(root);
    const pets = createDataset(ws.db, 'pets').id;
    const cars = createDataset(ws.db, 'cars').id;
    const core = createStudioCore(ws);
    const call = createDispatcher(core.handlers);
    try {
      expect(await call('finders:keywordRules', { datasetId: pets })).toEqual({ keywords: [...DEFAULT_KEYWORDS], isDefault: true });
      expect(DEFAULT_KEYWORDS).toContain('adopt');

      const saved = await call('finders:saveKeywordRules', { datasetId: pets, keywords: ['adopt', ' www\\. ', 'meow'] });
      expect(saved).toEqual({ keywords: ['adopt', 'www\\.', 'meow'], isDefault: false }); // trimmed as the finder reads them
      expect(await call('finders:keywordRules', { datasetId: pets })).toEqual(saved);
      expect(await call('finders:keywordRules', { datasetId: cars })).toEqual({ keywords: [...DEFAULT_KEYWORDS], isDefault: true }); // per dataset

      // Invalid rules are refused at the contract and by the store; the saved list stays.
      await expect(call('finders:saveKeywordRules', { datasetId: pets, keywords: ['adopt', '(unclosed'] })).rejects.toThrow(/\(unclosed/);
      await expect(call('finders:saveKeywordRules', { datasetId: pets, keywords: ['x'.repeat(201)] })).rejects.toThrow(/200/);
      await expect(call('finders:saveKeywordRules', { datasetId: pets, keywords: ['   '] })).rejects.toThrow(/blank/);
      expect(() => saveKeywordRules(ws.db, pets, ['ok', '[a-'])).toThrow(/Keyword rules not saved: "\[a-" is not a valid pattern/);
      expect(loadKeywordRules(ws.db, pets).keywords).toEqual(['adopt', 'www\\.', 'meow']);
      await expect(call('finders:keywordRules', { datasetId: 9999 })).rejects.toThrow(/not found/);

      // An empty list is a choice (rank by text area only), not "use the defaults".
      expect(saveKeywordRules(ws.db, cars, [])).toEqual({ keywords: [], isDefault: false });
    } finally {
      await core.jobs.close();
      ws.close();
    }

    const again = openWorkspace(root);
    try {
      expect(loadKeywordRules(again.db, pets)).toEqual({ keywords: ['adopt', 'www\\.', 'meow'], isDefault: false });
      expect(loadKeywordRules(again.db, cars)).toEqual({ keywords: [], isDefault: false });
      // A stored list that no longer parses falls back to the defaults rather than being guessed at.
      again.db.prepare('UPDATE finder_keyword_rules SET keywords_json = ? WHERE dataset_id = ?').run('["(bad"]', pets);
      expect(loadKeywordRules(again.db, pets)).toEqual({ keywords: [...DEFAULT_KEYWORDS], isDefault: true });
      // Deleting the dataset deletes its rules.
      again.db.prepare('DELETE FROM datasets WHERE id = ?').run(cars);
      expect(again.db.prepare('SELECT COUNT(*) FROM finder_keyword_rules WHERE dataset_id = ?').pluck().get(cars)).toBe(0);
    } finally {
      again.close();
    }
  });
});
