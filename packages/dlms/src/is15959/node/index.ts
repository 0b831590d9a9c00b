/**
 * `@ami-interop/dlms/is15959/node` (Node only): simulated IS 15959 meters on TCP — {@link startSimulatedMeters}
 * serves N meters (each its own serial number, system title and keys, derived from a seed) with
 * `DlmsServer` over the TCP wrapper; {@link connectMeter} opens an association with the security of each
 * IS 15959 client.
 *
 * ```ts
 * import { startSimulatedMeters, connectMeter, credentialsFor } from '@ami-interop/dlms/is15959/node';
 * const sim = await startSimulatedMeters({ port: 0, meters: 3, seed: 42 });
 * const m = sim.meters[0];
 * const client = await connectMeter({ host: m.host, port: m.port, client: 48, credentials: credentialsFor(m, 48) });
 * …
 * await client.release(); await client.close(); await sim.close();
 * ```
 *
 * @module
 */

export * from './check.ts';
export * from './connect.ts';
export * from './push-check.ts';
export * from './report.ts';
export * from './server.ts';
export * from './trace.ts';
