/** SSH hosts jobs can run on; secrets (key passphrases) are never stored here, only the key file's path. */
import type { Migration } from './types';

export const migration0008: Migration = {
  version: 8,
  name: 'ssh-hosts',
  sql: `
CREATE TABLE ssh_hosts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  username TEXT NOT NULL,
  key_path TEXT NOT NULL,
  work_dir TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
`,
};
