/** Test helper: a throwaway workspace in a temp dir and fast synthetic samples inserted straight into SQLite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../src/main/db/open-database';
import { ensureClasses, getOrCreateDataset } from '../../../src/main/datasets/dataset-lookup';
import { openWorkspace, type Workspace } from '../../../src/main/workspace/workspace';
import { StudioError } from '../../../src/main/errors';

export interface TempWorkspace {
  ws: Workspace;
  db: Db;
  root: string;
  /** Closes the database and removes the folder. */
  cleanup(): void;
}

export function makeTempWorkspace(prefix = 'vcs-test-'): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const ws = openWorkspace(root);
  return {
    ws,
    db: ws.db,
    root,
    cleanup: () => {
      if (ws.db.open) ws.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface SyntheticOptions {
  datasetName?: string;
  /** Class names; sample i gets classes[i % classes.length]. */
  classes?: string[];
  count: number;
  /** Every n-th sample (1-based index divisible by n) is left unlabelled. */
  unlabelledEvery?: number;
  /** Every n-th sample is dropped with reason 'duplicate'. */
  droppedEvery?: number;
}

export interface SyntheticDataset {
  datasetId: number;
  classIds: Map<string, number>;
  sampleIds: number[];
}

/** Inserts `count` samples with fake image rows (hash-only, no files) in one transaction. */
export function insertSyntheticSamples(db: Db, opts: SyntheticOptions): SyntheticDataset {
  const names = opts.classes ?? ['cat', 'dog'];
  return db.transaction(() => {
    const datasetId = getOrCreateDataset(db, opts.datasetName ?? 'synthetic');
    const classIds = ensureClasses(db, datasetId, names);
    const insImage = db.prepare(
      'INSERT OR IGNORE INTO images (hash, ext, format, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insSample = db.prepare(
      'INSERT INTO samples (dataset_id, image_hash, original_path, class_id, status, drop_reason) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const sampleIds: number[] = [];
    for (let i = 0; i < opts.count; i++) {
      const n = i + 1;
      const hash = `${datasetId.toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}`;
      insImage.run(hash, 'jpg', 'jpeg', 64 + ((i * 37) % 900), 64 + ((i * 53) % 700), 1000 + ((i * 7919) % 100_000));
      const name = names[i % names.length];
      const labelled = !(opts.unlabelledEvery && n % opts.unlabelledEvery === 0);
      const dropped = Boolean(opts.droppedEvery && n % opts.droppedEvery === 0);
      const path = `${name}/img_${String(n).padStart(6, '0')}.jpg`;
      const res = insSample.run(
        datasetId,
        hash,
        path,
        labelled ? classIds.get(name) : null,
        dropped ? 'dropped' : 'active',
        dropped ? 'duplicate' : null,
      );
      sampleIds.push(Number(res.lastInsertRowid));
    }
    return { datasetId, classIds, sampleIds };
  })();
}

/** The StudioError code a call throws ('no error' when it returns), for asserting on error kinds. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof StudioError ? err.code : `non-studio: ${String(err)}`;
  }
  return 'no error';
}
