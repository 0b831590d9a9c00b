import type { Group } from '../command.ts';

export function cimGroup(): Group {
  return {
    name: 'cim',
    summary: 'IEC 61968-9 messages in IEC 61968-100 envelopes: build, parse, validate, ReadingType codes',
    commands: [],
    note: 'No commands yet: they arrive with issue 7.',
  };
}
