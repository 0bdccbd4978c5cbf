/** Handlers for the Secrets panel: status (names only), set and delete; values go into the store and never come back out. */
import type { Handlers } from './handler-types';
import type { SecretLookup } from '../secrets/secret-lookup';

type SecretChannel = Extract<keyof Handlers, `secrets:${string}`>;

export function createSecretHandlers(secrets: SecretLookup): Pick<Handlers, SecretChannel> {
  return {
    'secrets:status': () => secrets.status(),
    'secrets:set': ({ name, value }) => secrets.set(name, value),
    'secrets:delete': ({ name }) => secrets.delete(name),
  };
}
