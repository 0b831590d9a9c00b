import type { Group } from '../command.ts';

export function keyfileGroup(): Group {
  return {
    name: 'keyfile',
    summary: 'the secure meter key file: keygen, seal, open, verify',
    commands: [],
    note: 'No commands yet: they arrive with issue 8.',
  };
}
