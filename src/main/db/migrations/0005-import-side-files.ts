/** Import reports keep the side files an ImageFolder import skipped (README, labels.json…), apart from its issues. */
import type { Migration } from './types';

export const migration0005: Migration = {
  version: 5,
  name: 'import-side-files',
  sql: `
ALTER TABLE import_reports ADD COLUMN skipped_json TEXT NOT NULL DEFAULT '[]';
`,
};
