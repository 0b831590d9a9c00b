/**
 * `@ami-interop/dlms/server`: the meter's side of DLMS/COSEM — a {@link DlmsServer} that accepts links,
 * runs associations (IS 15959 public client, meter reader with LLS, utility settings with HLS-GMAC and
 * authenticated encryption, …), routes GET/SET/ACTION to COSEM objects with per-association access rights,
 * handles block transfer, GBT and selective access, and sends push notifications.
 *
 * Runtime-neutral: it uses only the `ApduLink` contract; sockets come from `@ami-interop/dlms/node`.
 *
 * ```ts
 * const server = new DlmsServer({
 *   objects: [new ClockObject(), new RegisterObject('1.0.1.8.0.255', { value, scalerUnit })],
 *   associations: [
 *     { clientSap: 16, authentication: { mechanism: 'none' }, conformance: ['get', 'selective-access'] },
 *     { clientSap: 32, authentication: { mechanism: 'lls', password }, conformance: ['get', 'set'] },
 *     { clientSap: 48, authentication: { mechanism: 'hls-gmac' }, securityPolicy: 'auth+enc',
 *       keys: { ek, ak }, conformance: ['get', 'set', 'action', 'general-block-transfer'] },
 *   ],
 *   systemTitle,                                   // 8 bytes, for ciphered associations and HLS-GMAC
 *   onEvent: (e) => console.log(e.type),
 * });
 * void server.serve(await listenTcpWrapper({ port: 4059 }));
 * ```
 *
 * What the server answers in each situation (AARE diagnostics, Data-Access-Results, exception responses,
 * replayed counters) is tabled in `session.ts`. The LLS password / HLS secret in force is attribute 7 of
 * the association's Association LN object (initialised from the configuration), so a SET of it or
 * change_HLS_secret takes effect for later associations. Invocation counters received under the global
 * keys go through `counterStore` (slot `sap<N>` per association); those under a dedicated key are per
 * session.
 *
 * @module
 */
export {
  CURRENT_ASSOCIATION_LN,
  MECHANISM_ACSE_NAMES,
  MECHANISM_IDS,
  toAccessRights,
} from './association.ts';
export { type PushOptions, type PushSetupLike, pushBody } from './push.ts';
export { DlmsServer, type PushTarget } from './server.ts';
export type {
  DlmsServerOptions,
  ReleaseReason,
  ServerAccessRights,
  ServerAssociation,
  ServerAuthentication,
  ServerEvent,
  ServerKeys,
  ServerSecurityPolicy,
  SessionInfo,
  SessionState,
} from './types.ts';
