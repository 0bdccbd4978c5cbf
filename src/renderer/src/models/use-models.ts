/** Registered models plus device availability, reloaded when a model download job finishes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RegisteredModel } from '../../../shared/eval-types';
import { useStudio } from '../state/studio-context';

export type { DeviceStatus } from '../../../shared/runtime-types';
import type { DeviceStatus } from '../../../shared/runtime-types';

export interface ModelsState {
  models: RegisteredModel[];
  devices: DeviceStatus[];
  loaded: boolean;
  refresh: () => Promise<void>;
}

export function useModels(): ModelsState {
  const { api, reportError } = useStudio();
  const [models, setModels] = useState<RegisteredModel[]>([]);
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  const [loaded, setLoaded] = useState(false);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    try {
      const list = await api.models.list({});
      if (gen !== generation.current) return;
      setModels([...list].sort((a, b) => a.id - b.id));
      setLoaded(true);
    } catch (error) {
      reportError('Loading the model registry', error);
    }
  }, [api, reportError]);

  useEffect(() => {
    let alive = true;
    void refresh();
    api.system
      .devices({})
      .then((list) => alive && setDevices(list))
      .catch((error: unknown) => reportError('Detecting devices', error));
    const off = api.on('jobs:changed', (job) => {
      if (job.kind === 'model-download' && job.status === 'done') void refresh();
    });
    return () => {
      alive = false;
      off();
    };
  }, [api, refresh, reportError]);

  return { models, devices, loaded, refresh };
}
