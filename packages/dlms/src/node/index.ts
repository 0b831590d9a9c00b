/**
 * `@ami-interop/dlms/node`: DLMS links over real sockets and serial ports (Node only): the IEC 62056-47
 * wrapper over TCP and UDP, HDLC (IEC 62056-46) over TCP and over any serial port object, with the
 * IEC 62056-21 mode E sign-on. Every link implements `ApduLink` from `@ami-interop/dlms/link`, so
 * `DlmsClient` (`/client`) and `DlmsServer` (`/server`) run on any of them.
 *
 * Closing is clean on every path: sockets are ended and destroyed, timers cleared, and `closed`
 * resolves with why (`local`, `remote`, or `error` with the typed error).
 *
 * @module
 */
export { AcceptQueue, BaseLink } from './base.ts';
export { type ByteChannel, type HdlcLinkOptions, HdlcStreamLink } from './hdlc-link.ts';
export {
  connectTcpHdlc,
  listenTcpHdlc,
  type TcpHdlcConnectOptions,
  type TcpHdlcListener,
  type TcpHdlcListenOptions,
} from './hdlc-tcp.ts';
export { acceptSerialHdlc, openSerialHdlc, type SerialHdlcOptions, type SerialPortLike } from './serial.ts';
export {
  connectTcpWrapper,
  listenTcpWrapper,
  type TcpWrapperConnectOptions,
  type TcpWrapperListener,
  type TcpWrapperListenOptions,
  type WrapperLinkOptions,
} from './wrapper-tcp.ts';
export {
  connectUdpWrapper,
  listenUdpWrapper,
  type UdpWrapperConnectOptions,
  type UdpWrapperListener,
  type UdpWrapperListenOptions,
} from './wrapper-udp.ts';
