/** Closes the gaps in 0001's version immutability: deletes of version rows and tampering with seals. */
import type { Migration } from './types';

export const migration0002: Migration = {
  version: 2,
  name: 'version-immutability',
  sql: `
-- A version's rows may only disappear together with their parent (dataset deletion cascades:
-- the parent row is already gone when the cascade reaches the child, so the WHEN clause lets it through).
CREATE TRIGGER dataset_versions_no_delete BEFORE DELETE ON dataset_versions
WHEN EXISTS (SELECT 1 FROM datasets WHERE id = OLD.dataset_id)
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TRIGGER version_samples_no_delete BEFORE DELETE ON version_samples
WHEN EXISTS (SELECT 1 FROM dataset_versions WHERE id = OLD.version_id)
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;

-- The seal itself: written once with sealed = 1, never changed, replaced or removed on its own.
CREATE TRIGGER version_seals_no_update BEFORE UPDATE ON version_seals
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TRIGGER version_seals_insert_once BEFORE INSERT ON version_seals
WHEN NEW.sealed IS NOT 1 OR EXISTS (SELECT 1 FROM version_seals WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
CREATE TRIGGER version_seals_no_delete BEFORE DELETE ON version_seals
WHEN EXISTS (SELECT 1 FROM dataset_versions WHERE id = OLD.version_id)
BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
`,
};
