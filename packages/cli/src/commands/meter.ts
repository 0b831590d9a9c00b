import type { Group } from '../command.ts';
import { meterClientCommands } from './meter-client.ts';
import { meterIs15959Commands } from './meter-is15959.ts';
import { meterServeCommand } from './meter-serve.ts';

export function meterGroup(): Group {
  return {
    name: 'meter',
    summary:
      'talk to meters (get/set/action, IS 15959 profiles, firmware, relay), serve or simulate them, check them',
    commands: [...meterClientCommands(), meterServeCommand(), ...meterIs15959Commands()],
  };
}
