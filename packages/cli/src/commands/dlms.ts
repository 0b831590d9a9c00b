import type { Group } from '../command.ts';
import { decodeCommand } from './dlms-decode.ts';
import { encodeCommand } from './dlms-encode.ts';

export function dlmsGroup(): Group {
  return {
    name: 'dlms',
    summary: 'decode and encode DLMS/COSEM frames and APDUs (HDLC, wrapper, xDLMS, ACSE, A-XDR)',
    commands: [decodeCommand(), encodeCommand()],
  };
}
