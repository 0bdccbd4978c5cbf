/** Prompts as named, numbered versions; every VLM run links to the version it used (older runs backfilled by exact content into the ad-hoc "unsaved" prompt); the New eval form's last settings per dataset. */
import type { Migration } from './types';

export const migration0016: Migration = {
  version: 16,
  name: 'prompt-versions',
  sql: `
CREATE TABLE prompts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  ad_hoc INTEGER NOT NULL DEFAULT 0 CHECK (ad_hoc IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE UNIQUE INDEX prompts_one_ad_hoc ON prompts(ad_hoc) WHERE ad_hoc = 1;
CREATE TABLE prompt_versions (
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  number INTEGER NOT NULL CHECK (number >= 1),
  system_prompt TEXT NOT NULL,
  user_prompt TEXT NOT NULL,
  label_descriptions_json TEXT NOT NULL DEFAULT '{}',
  expanded_user_prompt TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (prompt_id, number)
);
CREATE INDEX prompt_versions_by_content ON prompt_versions(system_prompt, expanded_user_prompt);
CREATE TRIGGER prompt_versions_immutable BEFORE UPDATE OF system_prompt, user_prompt, label_descriptions_json, expanded_user_prompt, number, prompt_id ON prompt_versions
BEGIN SELECT RAISE(ABORT, 'prompt versions are immutable: save a new version'); END;
ALTER TABLE eval_runs ADD COLUMN prompt_version_id INTEGER REFERENCES prompt_versions(id) ON DELETE SET NULL;
CREATE INDEX eval_runs_by_prompt_version ON eval_runs(prompt_version_id);
INSERT INTO prompts (name, ad_hoc)
  SELECT 'unsaved', 1 WHERE EXISTS (SELECT 1 FROM eval_runs WHERE mode <> 'classifier');
INSERT INTO prompt_versions (prompt_id, number, system_prompt, user_prompt, expanded_user_prompt, note, created_at)
  SELECT (SELECT id FROM prompts WHERE ad_hoc = 1), ROW_NUMBER() OVER (ORDER BY MIN(id)), system_prompt, user_prompt, user_prompt,
    'from earlier runs', MIN(created_at)
  FROM eval_runs WHERE mode <> 'classifier' GROUP BY system_prompt, user_prompt;
UPDATE eval_runs SET prompt_version_id = (
  SELECT v.id FROM prompt_versions v WHERE v.system_prompt = eval_runs.system_prompt AND v.expanded_user_prompt = eval_runs.user_prompt
) WHERE mode <> 'classifier';
CREATE TABLE eval_form_settings (
  dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
  settings_json TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
`,
};
