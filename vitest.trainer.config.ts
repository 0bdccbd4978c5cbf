/** `npm run test:trainer`: the Python LoRA trainer as a child process (cached venv, built on first run), kept out of `npm test`. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'trainer',
    include: ['tests/trainer/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 1_200_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
