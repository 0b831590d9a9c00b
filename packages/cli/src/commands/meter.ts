import type { Group } from '../command.ts';
import { meterClientCommands } from './meter-client.ts';

export function meterGroup(): Group {
  return {
    name: 'meter',
    summary: 'talk to meters: get/set/action and the object list over TCP (wrapper or HDLC)',
    commands: [...meterClientCommands()],
    note: 'A test server (ami meter serve) arrives with DlmsServer; the IS 15959 readers, simulator and checker with issue 6.',
  };
}
