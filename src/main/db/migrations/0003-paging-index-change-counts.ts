/** Id-ordered sample index for all-status pages, and a stored per-change sample count for the history list. */
import type { Migration } from './types';

export const migration0003: Migration = {
  version: 3,
  name: 'paging-index-change-counts',
  sql: `
-- Pages over all statuses ordered by id walk this index instead of sorting the whole dataset.
CREATE INDEX samples_by_dataset ON samples(dataset_id, id);

-- Distinct samples touched by a change, stored once instead of recounted for every history listing.
ALTER TABLE changes ADD COLUMN sample_count INTEGER NOT NULL DEFAULT 0;
UPDATE changes SET sample_count = (SELECT COUNT(DISTINCT sample_id) FROM change_entries e WHERE e.change_id = changes.id);
`,
};
