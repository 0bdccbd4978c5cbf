/** The class-mapping editor's working copy (pure, shared so it is tested against the real model labels): one target or none per model class, a rest and an abstain target; to and from the saved JSON. */
import type { ClassMapping, ModelClassSpec } from './class-mapping-types';

export interface MappingDraft {
  name: string;
  /** Target per model class index; null = not explicitly mapped. */
  assign: (string | null)[];
  /** Targets in order (the first assignment of a new one appends it). */
  targets: string[];
  /** Target for every unassigned model class; null = leave them out (renormalised away, still counted as OOD mass). */
  rest: string | null;
  /** Which target is the abstain answer, if any. */
  abstain: string | null;
}

export function emptyDraft(modelClassCount: number, name = ''): MappingDraft {
  return { name, assign: new Array<string | null>(modelClassCount).fill(null), targets: [], rest: null, abstain: null };
}

/** Expands a saved mapping (or a preset) over `modelClassCount` classes; indices out of range are dropped. */
export function draftFromMapping(mapping: ClassMapping, modelClassCount: number, name = mapping.name): MappingDraft {
  const draft = emptyDraft(modelClassCount, name);
  for (const c of mapping.classes) {
    draft.targets.push(c.label);
    for (const spec of c.modelClasses) {
      const [from, to] = typeof spec === 'number' ? [spec, spec] : [spec.from, spec.to];
      for (let i = Math.max(0, from); i <= Math.min(to, modelClassCount - 1); i++) draft.assign[i] = c.label;
    }
  }
  draft.rest = mapping.rest ?? null;
  draft.abstain = mapping.abstain ?? null;
  return draft;
}

/** Sorted indices → number / {from,to} runs. */
export function toRanges(indices: readonly number[]): ModelClassSpec[] {
  const out: ModelClassSpec[] = [];
  let start = -1;
  let prev = -2;
  const flush = () => {
    if (start >= 0) out.push(start === prev ? start : { from: start, to: prev });
  };
  for (const i of [...indices].sort((a, b) => a - b)) {
    if (i !== prev + 1) {
      flush();
      start = i;
    }
    prev = i;
  }
  flush();
  return out;
}

/** The JSON the studio saves: targets in order with compressed ranges; a rest target with no explicit classes is left to `rest`. */
export function mappingFromDraft(draft: MappingDraft): ClassMapping {
  const classes = draft.targets
    .map((label) => ({ label, modelClasses: toRanges(draft.assign.flatMap((t, i) => (t === label ? [i] : []))) }))
    .filter((c) => c.modelClasses.length > 0);
  return { name: draft.name.trim(), classes, rest: draft.rest?.trim() || null, abstain: draft.abstain };
}

/** Assigns (or with null, unassigns) the given model classes; an unknown target is appended to the target list. */
export function assignTo(draft: MappingDraft, indices: Iterable<number>, target: string | null): MappingDraft {
  const assign = [...draft.assign];
  for (const i of indices) assign[i] = target;
  const label = target?.trim() ?? null;
  const targets = label && !draft.targets.includes(label) ? [...draft.targets, label] : draft.targets;
  return { ...draft, assign, targets: pruneTargets(targets, assign, draft.rest) };
}

/** Drops a target: its model classes become unassigned. */
export function removeTarget(draft: MappingDraft, target: string): MappingDraft {
  const assign = draft.assign.map((t) => (t === target ? null : t));
  return {
    ...draft,
    assign,
    targets: draft.targets.filter((t) => t !== target),
    rest: draft.rest === target ? null : draft.rest,
    abstain: draft.abstain === target ? null : draft.abstain,
  };
}

/** Targets that still own a class (or are the rest target) stay; emptied ones disappear. */
function pruneTargets(targets: string[], assign: readonly (string | null)[], rest: string | null): string[] {
  const used = new Set(assign.filter((t): t is string => t !== null));
  return targets.filter((t) => used.has(t) || t === rest);
}

/** Every target the saved mapping will have, in the order the run's probabilities use. */
export function draftTargets(draft: MappingDraft): string[] {
  return draft.rest && !draft.targets.includes(draft.rest) ? [...draft.targets, draft.rest] : draft.targets;
}

/**
 * Model classes matching a search: "151-268" (or "151–268") is an index range, "#42" one index, anything else a
 * case-insensitive substring of the label. Blank matches all.
 */
export function searchLabels(labels: readonly string[], query: string): number[] {
  const q = query.trim();
  const all = labels.map((_, i) => i);
  if (q === '') return all;
  const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(q);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])].sort((a, b) => a - b);
    return all.filter((i) => i >= from && i <= to);
  }
  const one = /^#(\d+)$/.exec(q);
  if (one) return all.filter((i) => i === Number(one[1]));
  const needle = q.toLowerCase();
  return all.filter((i) => labels[i].toLowerCase().includes(needle));
}

/** Why the draft cannot be saved yet, or null. */
export function draftProblem(draft: MappingDraft): string | null {
  if (draft.name.trim() === '') return 'Name the mapping';
  if (draft.rest !== null && draft.rest.trim() === '') return 'Name the target the rest goes to (e.g. other)';
  const targets = draftTargets(draft);
  if (targets.length < 2) return 'Assign model classes to at least two targets (or one target plus "the rest")';
  if (draft.rest && draft.assign.every((t) => t !== null)) return `Every model class is assigned, so "${draft.rest}" (the rest) would get none`;
  return null;
}
