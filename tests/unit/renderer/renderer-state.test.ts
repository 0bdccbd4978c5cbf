/** The key-layer stack, the jobs-cache updaters and the drop-preset rule: renderer logic with no React tree (typechecked by the web config). */
import { describe, expect, it, vi } from 'vitest';
import type { JobInfo } from '../../../src/shared/jobs';
import { DROP_REASONS } from '../../../src/shared/domain';
import { KeyStack } from '../../../src/renderer/src/keys/key-layers';
import { applyProgress, placeholderJob, upsertJob } from '../../../src/renderer/src/data/jobs-cache';
import { presetFor } from '../../../src/renderer/src/dialogs/drop-reason-picker';

function keyEvent(key: string, defaultPrevented = false) {
  return { key, defaultPrevented, preventDefault: vi.fn(), stopPropagation: vi.fn() } as unknown as KeyboardEvent & {
    preventDefault: ReturnType<typeof vi.fn>;
  };
}

describe('KeyStack', () => {
  it('gives a dialog (modal layer) every key first and lets none reach the screen below it', () => {
    const stack = new KeyStack();
    const screen = vi.fn(() => true);
    const dialog = vi.fn((e: KeyboardEvent) => e.key === 'Escape');
    stack.push({ current: screen }, false);
    const closeDialog = stack.push({ current: dialog }, true);
    const typed = keyEvent('4');
    stack.dispatch(typed);
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(screen).not.toHaveBeenCalled();
    expect(typed.preventDefault).not.toHaveBeenCalled(); // unhandled: the text field still gets it
    const escape = keyEvent('Escape');
    stack.dispatch(escape);
    expect(escape.preventDefault).toHaveBeenCalled();
    closeDialog();
    stack.dispatch(keyEvent('4'));
    expect(screen).toHaveBeenCalledTimes(1);
  });

  it('keeps modal layers above screen layers pushed later, and skips keys an element already used', () => {
    const stack = new KeyStack();
    const dialog = vi.fn(() => false);
    const lateScreen = vi.fn(() => true);
    stack.push({ current: dialog }, true);
    stack.push({ current: lateScreen }, false); // e.g. the data view re-registering while a dialog is open
    stack.dispatch(keyEvent('d'));
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(lateScreen).not.toHaveBeenCalled();
    stack.dispatch(keyEvent('ArrowDown', true));
    expect(dialog).toHaveBeenCalledTimes(1);
  });
});

describe('jobs cache', () => {
  const done: JobInfo = { ...placeholderJob('j1', 'import', 'done', 'Imported'), value: 1 };

  it('never turns a finished job back into a running one (late snapshot or progress)', () => {
    const list = [done];
    expect(upsertJob(list, placeholderJob('j1', 'import', 'running', 'late'))).toBe(list);
    expect(applyProgress(list, { jobId: 'j1', kind: 'import', value: 0.5, message: 'late' })).toBe(list);
  });

  it('adds unknown jobs from progress and merges snapshots of known ones', () => {
    const list = applyProgress([], { jobId: 'j2', kind: 'eval', value: 0.25, message: 'Evaluated 1 of 4' });
    expect(list).toMatchObject([{ id: 'j2', kind: 'eval', status: 'running', value: 0.25 }]);
    expect(upsertJob(list, { ...list[0], status: 'done', value: 1 })).toMatchObject([{ id: 'j2', status: 'done', value: 1 }]);
  });
});

describe('drop reason presets', () => {
  it('reads a lone in-range number as that preset and anything else as the reason itself', () => {
    expect(presetFor('2')).toBe(DROP_REASONS[1]);
    expect(presetFor(' 6 ')).toBe(DROP_REASONS[5]);
    expect(presetFor('64x48 thumbnail, unusable')).toBeNull();
    expect(presetFor('6 cats')).toBeNull();
    expect(presetFor('9')).toBeNull();
    expect(presetFor('')).toBeNull();
  });
});
