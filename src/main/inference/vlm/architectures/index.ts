/** The architecture registry: the one list of VLM architectures the studio runs; generic code asks it, never model_type. */
import { idefics3 } from './idefics3';
import { lfm2Vl } from './lfm2-vl';
import { smolVlm } from './smolvlm';
import type { VlmArchitecture } from './types';

export type { ArchConfigProblem, ChatContent, ChatMessage, VlmArchitecture } from './types';
export { OTHER_VLM_TYPES } from './known-unsupported';

/** Built-in architectures, in the order the supported list is shown. A new architecture is one line here. */
export const BUILT_IN_VLM_ARCHITECTURES: readonly VlmArchitecture[] = [lfm2Vl, smolVlm, idefics3];

const registered: VlmArchitecture[] = [];

/** Every architecture the engine can run now: the built-ins, then any registered at runtime. */
export function vlmArchitectures(): readonly VlmArchitecture[] {
  return [...BUILT_IN_VLM_ARCHITECTURES, ...registered];
}

/** The architecture that runs a config.json model_type, or undefined when none does. */
export function findVlmArchitecture(modelType: string): VlmArchitecture | undefined {
  return vlmArchitectures().find((a) => a.modelTypes.includes(modelType));
}

/** Every supported model_type, in registry order (for "supported: …" messages). */
export function supportedVlmTypes(): string[] {
  return vlmArchitectures().flatMap((a) => a.modelTypes);
}

/**
 * Adds an architecture without editing the built-in list (tests, plugins). Throws when one of its model types is
 * already taken; returns a function that removes it again.
 */
export function registerVlmArchitecture(arch: VlmArchitecture): () => void {
  const taken = arch.modelTypes.filter((t) => findVlmArchitecture(t) !== undefined);
  if (arch.modelTypes.length === 0) throw new Error(`Architecture ${arch.displayName} lists no model_type`);
  if (taken.length > 0) throw new Error(`model_type ${taken.join(', ')} already has an architecture`);
  registered.push(arch);
  return () => {
    const i = registered.indexOf(arch);
    if (i >= 0) registered.splice(i, 1);
  };
}
