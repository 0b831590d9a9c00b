import type { Group } from '../command.ts';

export function meterGroup(): Group {
  return {
    name: 'meter',
    summary: 'talk to meters: serve, simulate, get/set/action, read IS 15959 profiles, check conformance',
    commands: [],
    note: 'No commands yet: client and server sessions arrive with issue 5, the IS 15959 layer with issue 6.',
  };
}
