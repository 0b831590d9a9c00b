/**
 * `@ami-interop/dlms/client`: the DLMS/COSEM client ({@link DlmsClient}) on any `ApduLink`: association
 * (LN, with or without ciphering; lowest, LLS, HLS mechanisms 2–6), GET/SET/ACTION with automatic block
 * transfer and GBT, with-list services with fallback, selective access helpers for Profile Generic,
 * release, reconnect. Runtime-neutral: links over sockets and serial ports are in `@ami-interop/dlms/node`.
 *
 * ```ts
 * import { DlmsClient } from '@ami-interop/dlms/client';
 * import { connectTcpWrapper } from '@ami-interop/dlms/node';
 * const link = await connectTcpWrapper({ host: '10.0.0.5', port: 4059, client: 32, server: 1 });
 * const client = await DlmsClient.associate(link, { authentication: 'lls', password: '12345678' });
 * const time = await client.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
 * await client.release();
 * ```
 *
 * @module
 */
export {
  CURRENT_ASSOCIATION,
  DEFAULT_CLIENT_CONFORMANCE,
  DlmsClient,
  type ServiceErrorDetail,
  serviceError,
  serviceErrorDetail,
} from './client.ts';
export {
  ATTRIBUTE_ACCESS_MODES,
  METHOD_ACCESS_MODES,
  type ObjectListEntry,
  parseObjectList,
} from './object-list.ts';
export { byDateRange, byEntryRange } from './selective.ts';
export {
  type AccessItem,
  type AssociateOptions,
  type AttributeRef,
  type ClientAuthentication,
  type ClientEvent,
  type ClientSecurity,
  type ConnectOptions,
  type GetOptions,
  type InvocationCounterRecipe,
  type ListResult,
  MECHANISM_OF,
  type MethodRef,
  type ReconnectPolicy,
} from './types.ts';
