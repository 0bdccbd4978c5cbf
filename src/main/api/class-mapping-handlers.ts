/** Handlers for saved class mappings, a run's OOD summary, and class merge/delete (each edit announced as a dataset change). */
import type { Handlers } from './handler-types';
import type { StudioEventBus } from './event-bus';
import type { Workspace } from '../workspace/workspace';
import { CLASS_MAPPING_PRESETS } from '../inference/classifier/class-mapping';
import { classifierLabels, deleteClassMapping, listClassMappings, saveClassMapping } from '../class-mappings/class-mapping-store';
import { oodSummary } from '../class-mappings/ood-summary';
import { deleteClass, mergeClass } from '../datasets/class-merge';

type MappingChannel = Extract<keyof Handlers, `classMappings:${string}` | 'classes:merge' | 'classes:delete'>;

export function createClassMappingHandlers(workspace: Workspace, bus: StudioEventBus): Pick<Handlers, MappingChannel> {
  const { db } = workspace;
  const changed = (datasetId: number) => bus.emit('dataset:changed', { datasetId, reason: 'classes' });
  return {
    'classMappings:list': () => listClassMappings(db),
    'classMappings:presets': () => Object.values(CLASS_MAPPING_PRESETS),
    'classMappings:modelLabels': ({ modelId }) => classifierLabels(db, modelId),
    'classMappings:save': ({ id, modelId, mapping }) => saveClassMapping(db, { id: id ?? null, modelId, mapping }),
    'classMappings:delete': ({ id }) => {
      deleteClassMapping(db, id);
      return { deleted: true };
    },
    'classMappings:ood': ({ runId }) => oodSummary(db, runId),
    'classes:merge': ({ datasetId, sourceClassId, targetClassId }) => {
      const result = mergeClass(db, datasetId, sourceClassId, targetClassId);
      changed(datasetId);
      return result;
    },
    'classes:delete': ({ datasetId, classId, targetClassId }) => {
      const result = deleteClass(db, datasetId, classId, targetClassId);
      changed(datasetId);
      return result;
    },
  };
}
