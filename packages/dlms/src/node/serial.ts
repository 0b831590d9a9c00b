/**
 * HDLC over a serial port (direct RS-485/RS-232, or an IEC 62056-21 optical probe in mode E), without
 * depending on a serial library: pass any duplex object shaped like {@link SerialPortLike}. An instance of
 * the `serialport` package fits as it is:
 *
 * ```ts
 * import { SerialPort } from 'serialport';
 * import { openSerialHdlc } from '@ami-interop/dlms/node';
 * const port = new SerialPort({ path: '/dev/ttyUSB0', baudRate: 300, dataBits: 7, parity: 'even' });
 * const link = await openSerialHdlc(port, { client: 32, server: 1, serverLower: 256, modeE: {} });
 * ```
 *
 * With `modeE`, the IEC 62056-21 sign-on runs first at 300 Bd 7E1 (`/?!` → identification → ACK 2 Z 2),
 * then the port is switched with `update({ baudRate, dataBits: 8, parity: 'none' })` once the
 * acknowledgement is written (and drained, when the port can drain), and HDLC starts with SNRM.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { clientAddress, serverAddress } from '../hdlc/address.ts';
import { type ModeEOptions, ModeESignOn } from '../optical/sign-on.ts';
import { type HdlcLinkOptions, HdlcStreamLink } from './hdlc-link.ts';

/** The part of a serial port this module uses (the `serialport` package's `SerialPort` has all of it). */
export interface SerialPortLike {
  write(data: Uint8Array, callback?: (error?: Error | null) => void): unknown;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  close(callback?: (error?: Error | null) => void): unknown;
  /** Waits until written data has been transmitted (optional). */
  drain?(callback: (error?: Error | null) => void): unknown;
  /** Changes line settings; needed for mode E. */
  update?(
    options: { baudRate: number; dataBits?: 7 | 8; parity?: 'even' | 'none'; stopBits?: 1 },
    callback?: (error?: Error | null) => void,
  ): unknown;
}

export interface SerialHdlcOptions extends HdlcLinkOptions {
  client: number;
  server: number;
  serverLower?: number;
  /** Run the IEC 62056-21 mode E sign-on first. */
  modeE?: ModeEOptions & { timeoutMs?: number };
}

const cb =
  (resolve: () => void, reject: (e: DlmsError) => void, what: string) =>
  (e?: Error | null): void =>
    e ? reject(new DlmsError('CONNECTION_CLOSED', `${what}: ${e.message}`, { cause: e })) : resolve();

async function signOn(port: SerialPortLike, options: ModeEOptions & { timeoutMs?: number }): Promise<void> {
  if (typeof port.update !== 'function')
    throw new DlmsError('INVALID_ARGUMENT', 'mode E needs a port with update({ baudRate })');
  const machine = new ModeESignOn(options);
  let onData: ((c: Uint8Array) => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const switchStep = await new Promise<{ bytes: Uint8Array; baud: number }>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new DlmsError('TIMEOUT', 'no IEC 62056-21 identification from the meter')),
        options.timeoutMs ?? 5000,
      );
      onData = (chunk) => {
        const step = machine.onBytes(chunk);
        if (step.kind === 'failed') reject(step.error);
        else if (step.kind === 'switch') resolve({ bytes: step.bytes, baud: step.line.baud });
      };
      port.on('data', onData);
      port.write(machine.start().bytes);
    });
    await new Promise<void>((res, rej) => port.write(switchStep.bytes, cb(res, rej, 'serial write')));
    if (typeof port.drain === 'function')
      await new Promise<void>((res, rej) => port.drain!(cb(res, rej, 'serial drain')));
    await new Promise<void>((res, rej) =>
      port.update!(
        { baudRate: switchStep.baud, dataBits: 8, parity: 'none', stopBits: 1 },
        cb(res, rej, 'serial update'),
      ),
    );
  } finally {
    if (timer) clearTimeout(timer);
    if (onData) port.removeListener('data', onData);
  }
}

function serialChannel(port: SerialPortLike): { write(b: Uint8Array): void; destroy(): void } {
  let closed = false;
  return {
    write: (b) => {
      if (!closed) port.write(b);
    },
    destroy: () => {
      if (closed) return;
      closed = true;
      port.close();
    },
  };
}

function attach(port: SerialPortLike, link: HdlcStreamLink): void {
  port.on('data', (c) => link.onBytes(c));
  port.on('close', () => link.onTransportClosed());
  port.on('error', (e) =>
    link.onTransportClosed(
      new DlmsError('CONNECTION_CLOSED', `serial port error: ${e.message}`, { cause: e }),
    ),
  );
}

/** Client: optional mode E sign-on, then SNRM/UA; returns the open link (the port is closed on failure). */
export async function openSerialHdlc(
  port: SerialPortLike,
  options: SerialHdlcOptions,
): Promise<HdlcStreamLink> {
  try {
    if (options.modeE) await signOn(port, options.modeE);
  } catch (e) {
    port.close();
    throw e;
  }
  const address =
    options.serverLower === undefined
      ? { client: options.client, server: options.server }
      : { client: options.client, server: options.server, serverLower: options.serverLower };
  const link = new HdlcStreamLink(
    serialChannel(port),
    address,
    {
      role: 'client',
      local: clientAddress(options.client),
      remote: serverAddress(options.server, options.serverLower),
      proposeParameters: true,
    },
    options,
  );
  attach(port, link);
  try {
    await link.open();
  } catch (e) {
    await link.close();
    throw e;
  }
  return link;
}

/**
 * Server (a meter simulator on a serial line): resolves with the link once a client's SNRM has been
 * answered. No mode E on this side.
 */
export function acceptSerialHdlc(
  port: SerialPortLike,
  options: HdlcLinkOptions & { server?: number; serverLower?: number },
): Promise<HdlcStreamLink> {
  const upper = options.server ?? 1;
  return new Promise((resolve) => {
    const address =
      options.serverLower === undefined
        ? { client: 0, server: upper }
        : { client: 0, server: upper, serverLower: options.serverLower };
    const link = new HdlcStreamLink(
      serialChannel(port),
      address,
      { role: 'server', local: serverAddress(upper, options.serverLower) },
      options,
      resolve,
    );
    attach(port, link);
  });
}
