import { describe, expect, it } from 'vitest';
import { CommandError, isIpcError, toCommandError } from './ipc';

describe('ipc errors', () => {
  it('keeps the code and message of a typed error', () => {
    const e = toCommandError({ code: 'data_dir', message: 'The data folder is a file.' });
    expect(e).toBeInstanceOf(CommandError);
    expect(e.code).toBe('data_dir');
    expect(e.message).toBe('The data folder is a file.');
  });

  it('turns anything else into an internal error with a readable message', () => {
    expect(toCommandError('boom').code).toBe('internal');
    expect(toCommandError('boom').message).toBe('boom');
    expect(toCommandError(null).message).toMatch(/Nothing was changed/);
    expect(isIpcError({ code: 1, message: 'x' })).toBe(false);
  });
});

describe('arguments Rust refused', () => {
  it('become invalid_input with a plain message, not internal', () => {
    const e = toCommandError('invalid args `entry` for command `add_use`: invalid type: integer `42`, expected struct UseEntry');
    expect(e.code).toBe('invalid_input');
    expect(e.message).not.toMatch(/UseEntry|add_use/);
  });
});
