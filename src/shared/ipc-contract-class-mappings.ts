/** Channel table for saved class mappings (build from a classifier's labels, save, reuse), a run's OOD summary, and class merge/delete. */
import { z } from 'zod';
import type { ClassMapping, OodSummary, SavedClassMapping } from './class-mapping-types';
import type { EditResult } from './domain';
import { labelSchema } from './label-rule';

const id = z.number().int().positive();
const modelClass = z.number().int().min(0).max(1_000_000);
const modelClassSpec = z.union([modelClass, z.object({ from: modelClass, to: modelClass })]);

export const classMappingSchema = z.object({
  name: z.string().trim().min(1).max(100),
  classes: z.array(z.object({ label: labelSchema, modelClasses: z.array(modelClassSpec).max(100_000) })).max(10_000),
  rest: labelSchema.nullable().optional(),
  abstain: labelSchema.nullable().optional(),
});

export const classMappingChannels = {
  /** Saved mappings, by name. */
  'classMappings:list': { args: z.object({}), result: null as unknown as SavedClassMapping[] },
  /** The built-in presets, as starting points for a new mapping. */
  'classMappings:presets': { args: z.object({}), result: null as unknown as ClassMapping[] },
  /** A classifier's own labels (labels.txt), in index order: what the editor searches and selects from. */
  'classMappings:modelLabels': { args: z.object({ modelId: id }), result: null as unknown as string[] },
  /** Creates (no id) or replaces a mapping, validated against the model's label count. */
  'classMappings:save': {
    args: z.object({ id: id.nullable().optional(), modelId: id, mapping: classMappingSchema }),
    result: null as unknown as SavedClassMapping,
  },
  'classMappings:delete': { args: z.object({ id }), result: null as unknown as { deleted: boolean } },
  /** A classifier run's out-of-distribution mass: mean, share above 0.5, and the model classes behind it. */
  'classMappings:ood': { args: z.object({ runId: id }), result: null as unknown as OodSummary },
  /** Moves every sample of a class to another and removes it: one undoable change. */
  'classes:merge': {
    args: z.object({ datasetId: id, sourceClassId: id, targetClassId: id }),
    result: null as unknown as EditResult,
  },
  /** Removes a class; its samples move to a target class, or become unlabelled (null): one undoable change. */
  'classes:delete': {
    args: z.object({ datasetId: id, classId: id, targetClassId: id.nullable() }),
    result: null as unknown as EditResult,
  },
} as const;
