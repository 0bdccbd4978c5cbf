/** Registered models and device availability from the query cache (a finished model download invalidates the list). */
import { useQuery } from '@tanstack/react-query';
import type { RegisteredModel } from '../../../shared/eval-types';
import { queryKeys } from '../data/query-keys';
import { useStudio } from '../state/studio-context';

import type { DeviceStatus } from '../../../shared/runtime-types';

export type { DeviceStatus };

export interface ModelsState {
  models: RegisteredModel[];
  devices: DeviceStatus[];
  loaded: boolean;
}

const NO_MODELS: RegisteredModel[] = [];
const NO_DEVICES: DeviceStatus[] = [];

export function useModels(): ModelsState {
  const { api } = useStudio();
  const models = useQuery({
    queryKey: queryKeys.models,
    queryFn: async () => [...(await api.models.list({}))].sort((a, b) => a.id - b.id),
    meta: { errorContext: 'Loading the model registry' },
  });
  const devices = useQuery({
    queryKey: queryKeys.devices,
    queryFn: () => api.system.devices({ refresh: false }),
    meta: { errorContext: 'Detecting devices' },
  });
  return { models: models.data ?? NO_MODELS, devices: devices.data ?? NO_DEVICES, loaded: models.isFetched };
}
