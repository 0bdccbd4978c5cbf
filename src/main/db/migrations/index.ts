/** Ordered list of all schema migrations; append only, never edit a shipped one. */
import { migration0001 } from './0001-init';
import { migration0002 } from './0002-version-immutability';
import { migration0003 } from './0003-paging-index-change-counts';
import { migration0004 } from './0004-models-and-evals';
import { migration0005 } from './0005-import-side-files';
import { migration0006 } from './0006-jobs-outlive-the-app';
import { migration0007 } from './0007-finetune-lineage';
import { migration0008 } from './0008-ssh-hosts';
import { migration0009 } from './0009-finetune-phases-evals';
import { migration0010 } from './0010-derived-versions';
import { migration0011 } from './0011-finder-runs';
import { migration0012 } from './0012-open-label-sets';
import { migration0013 } from './0013-eval-batches';
import { migration0014 } from './0014-class-mappings';
import { migration0015 } from './0015-cascade-runs';
import { migration0016 } from './0016-prompt-versions';
import { migration0017 } from './0017-finder-keyword-rules';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013, migration0014, migration0015, migration0016, migration0017];
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
