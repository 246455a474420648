import { describe, expect, it } from 'vitest';
import { errorText } from './errors';
import { CommandError } from './ipc';

describe('errorText', () => {
  it('reads the message of errors and of IpcError objects', () => {
    expect(errorText(new CommandError({ code: 'locked', message: 'The journal is locked.' }))).toBe('The journal is locked.');
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText({ code: 'internal', message: 'From Rust.' })).toBe('From Rust.');
  });

  it('shows anything else as it is', () => {
    expect(errorText('plain')).toBe('plain');
    expect(errorText(42)).toBe('42');
  });
});
