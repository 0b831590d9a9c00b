import type { Group } from '../command.ts';

export function transportGroup(): Group {
  return {
    name: 'transport',
    summary: 'send and receive IEC 61968-100 messages over SOAP, a STOMP broker, REST and JSON',
    commands: [],
    note: 'No commands yet: the transports have no issue open yet.',
  };
}
