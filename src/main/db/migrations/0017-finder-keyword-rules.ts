/** The overlay finder's editable keyword rules per dataset, kept in the workspace (they lived in one browser's localStorage). */
import type { Migration } from './types';

export const migration0017: Migration = {
  version: 17,
  name: 'finder-keyword-rules',
  sql: `
CREATE TABLE finder_keyword_rules (
  dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
  keywords_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
};
