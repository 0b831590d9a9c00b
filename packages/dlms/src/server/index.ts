/**
 * `@ami-interop/dlms/server`: the meter's side of DLMS/COSEM — a {@link DlmsServer} that accepts links,
 * runs associations (IS 15959 public client, meter reader with LLS, utility settings with HLS-GMAC and
 * authenticated encryption, …), routes GET/SET/ACTION to COSEM objects with per-association access rights,
 * handles block transfer, GBT and selective access, and sends push notifications.
 *
 * Runtime-neutral: it uses only the `ApduLink` contract; sockets come from `@ami-interop/dlms/node`.
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
