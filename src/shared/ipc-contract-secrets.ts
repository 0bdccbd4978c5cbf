/** Channel table for secrets (merged into ipc-contract.ts): status names what is set, never a value; set/delete write the keychain. */
import { z } from 'zod';
import { secretNameSchema, secretValueSchema, type SecretsStatus } from './secret-names';

export const secretChannels = {
  /** Which backend keeps secrets, whether it is a real keychain (the reason when not), and which names are set. */
  'secrets:status': { args: z.object({}), result: null as unknown as SecretsStatus },
  'secrets:set': { args: z.object({ name: secretNameSchema, value: secretValueSchema }), result: null as unknown as SecretsStatus },
  'secrets:delete': { args: z.object({ name: secretNameSchema }), result: null as unknown as SecretsStatus },
} as const;
