/** Compares two versions of one dataset: samples added, removed, relabeled and moved between splits. */
import type { VersionDiff, VersionDiffRow } from '../../shared/domain';
import type { Db } from '../db/open-database';
import { StudioError } from '../errors';
import { getVersion, versionSamples, type VersionSample } from './snapshot';

export function diffVersions(db: Db, fromId: number, toId: number): VersionDiff {
  return db.transaction((): VersionDiff => {
    const from = getVersion(db, fromId);
    const to = getVersion(db, toId);
    if (from.datasetId !== to.datasetId) {
      throw new StudioError('invalid-args', `versions ${fromId} and ${toId} belong to different datasets`);
    }
    const before = new Map<number, VersionSample>(versionSamples(db, fromId).map((s) => [s.sampleId, s]));
    const after = versionSamples(db, toId);
    const diff: VersionDiff = {
      from: { id: from.id, name: from.name },
      to: { id: to.id, name: to.name },
      added: [],
      removed: [],
      relabeled: [],
      resplit: [],
    };
    const row = (s: VersionSample, b: string | null, a: string | null): VersionDiffRow => ({
      sampleId: s.sampleId,
      originalPath: s.originalPath,
      before: b,
      after: a,
    });
    const seen = new Set<number>();
    for (const s of after) {
      const old = before.get(s.sampleId);
      if (!old) {
        diff.added.push(row(s, null, s.label));
        continue;
      }
      seen.add(s.sampleId);
      if (old.label !== s.label) diff.relabeled.push(row(s, old.label, s.label));
      if (old.split !== s.split) diff.resplit.push(row(s, old.split, s.split));
    }
    for (const old of before.values()) if (!seen.has(old.sampleId)) diff.removed.push(row(old, old.label, null));
    return diff;
  })();
}
