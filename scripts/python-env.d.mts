/** Types for scripts/python-env.mjs (the trainer's cached venv). */
export declare const REQUIREMENTS: string;
export declare function pythonEnvDir(): string;
export declare function ensurePythonEnv(opts?: { quiet?: boolean }): string;
