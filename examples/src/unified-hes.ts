/**
 * The unified-HES walk-through, as the CEA guidelines describe the flow, on loopback with simulated
 * meters:
 *
 * 1. The meter maker seals its meters' keys into a key file for the HES (ECDH to the HES's public key,
 *    signed by the maker's certificate).
 * 2. The HES verifies and opens the key file.
 * 3. Simulated IS 15959 meters listen on 127.0.0.1 (TCP wrapper); the HES associates with each over
 *    Utility Settings (client 48, HLS-GMAC, suite 0 authenticated encryption) with the keys from the file,
 *    and reads the last hours of block load as typed rows with units (selective access by date range).
 * 4. The HES maps the rows to IEC 61968-9 ReadingTypes (from OBIS, unit and capture period) and builds a
 *    MeterReadings EventMessage in a 61968-100 envelope for the MDMS, validated before it is written.
 */

import { type Message, newMessageId, nowTimestamp } from '@ami-interop/cim/envelope';
import { fromJsonValue } from '@ami-interop/cim/json';
import { obisToReadingType } from '@ami-interop/cim/mapping';
import { validateMessage } from '@ami-interop/cim/validate';
import { toXml } from '@ami-interop/cim/xml';
import { toHex } from '@ami-interop/dlms';
import { is15959Catalogue, isQuantity, type Row, resolveVariant } from '@ami-interop/dlms/is15959';
import { connectMeter, startSimulatedMeters } from '@ami-interop/dlms/is15959/node';
import { readProfile } from '@ami-interop/dlms/is15959/operations';
import {
  generateKeyPair,
  openKeyFile,
  parseMetersCsv,
  privateKeyFromPem,
  publicKeyFromPem,
  sealKeyFile,
  toDlmsMeterKeys,
} from '@ami-interop/keyfile';

export interface UnifiedHesResult {
  keyFileBytes: number;
  meters: { serial: string; rows: number }[];
  message: Message;
  xml: string;
}

export async function unifiedHesWalkThrough(
  log: (line: string) => void,
  options: { meters?: number; hours?: number } = {},
): Promise<UnifiedHesResult> {
  const count = options.meters ?? 3;
  const hours = options.hours ?? 2;
  const variant = resolveVariant({ part: 2, phases: 1 });
  const catalogue = is15959Catalogue(variant);
  // Port 0: each simulated meter listens on an ephemeral port of 127.0.0.1.
  const sim = await startSimulatedMeters({ host: '127.0.0.1', port: 0, meters: count, seed: 'ami-demo' });
  try {
    // 1. The maker seals the keys for the HES.
    const hes = generateKeyPair();
    const maker = generateKeyPair({ cert: { subject: 'CN=Demo Meters Pvt Ltd, C=IN' } });
    const csv = [
      'serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret',
      ...sim.meters.map((m) =>
        [m.serial, m.systemTitle, m.guek, m.gak, m.mk, m.lls, m.hlsUs, m.hlsFw].join(','),
      ),
    ].join('\n');
    const file = sealKeyFile(parseMetersCsv(csv), {
      issuer: 'Demo Meters Pvt Ltd',
      recipientName: 'unified-hes',
      recipient: { kind: 'ecdh', publicKey: publicKeyFromPem(hes.publicKeyPem) },
      signer: { privateKey: privateKeyFromPem(maker.privateKeyPem), certificate: maker.certificatePem! },
    });
    log(
      `1. maker sealed ${count} meters' keys for the HES: ${file.length} bytes, signed, ECDH-ES P-256 + AES-256-GCM`,
    );

    // 2. The HES opens it.
    const opened = openKeyFile(file, {
      key: { kind: 'ecdh', privateKey: privateKeyFromPem(hes.privateKeyPem) },
    });
    log(
      `2. HES verified the maker's signature (${opened.signer.subject}) and opened ${opened.meters.length} meters`,
    );
    const keysBySerial = new Map(opened.meters.map((m) => [m.serial, toDlmsMeterKeys(m)]));

    // 3. Read block load from every meter over TCP with HLS-GMAC and ciphering.
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3600_000);
    const readings: Record<string, unknown>[] = [];
    const perMeter: { serial: string; rows: number }[] = [];
    const readingTypes = new Map<string, string>();
    for (const m of sim.meters) {
      const k = keysBySerial.get(m.serial);
      if (!k) throw new Error(`no keys for ${m.serial} in the key file`);
      const client = await connectMeter({
        host: m.host,
        port: m.port,
        client: 48,
        credentials: { ek: k.guek, ak: k.gak },
      });
      let rows: Row[];
      try {
        rows = await readProfile(client, catalogue, 'blockLoad', { from, to });
      } finally {
        await client.release().catch(() => undefined);
        await client.close();
      }
      perMeter.push({ serial: m.serial, rows: rows.length });
      log(
        `3. ${m.serial} (system title ${toHex(k.systemTitle)}): associated as client 48 (HLS-GMAC, auth+enc), ` +
          `${rows.length} block-load rows; first: ${describeRow(rows[0])}`,
      );

      // 4. Map to ReadingTypes and interval blocks.
      const blocks: Record<string, unknown>[] = [];
      for (const col of catalogue.profiles.blockLoad.columns) {
        if (col.unit === undefined || col.obis.startsWith('0.0.1.0.0')) continue;
        let mrid = readingTypes.get(col.column);
        if (mrid === undefined) {
          try {
            mrid = obisToReadingType({ obis: col.obis, unit: col.unit, scaler: 0, period: 900 }).mRID;
          } catch {
            continue; // no standard ReadingType for this column: the mapping says so rather than guess
          }
          readingTypes.set(col.column, mrid);
        }
        const intervals = rows
          .map((r) => ({ t: r.timestamp, v: r[col.column] }))
          .filter(
            (x): x is { t: string; v: { value: number; unit: string } } =>
              typeof x.t === 'string' && isQuantity(x.v),
          )
          .map((x) => ({ timeStamp: x.t, value: String(x.v.value) }));
        if (intervals.length > 0) blocks.push({ ReadingType: mrid, IntervalReadings: intervals });
      }
      readings.push({ Meter: { mRID: m.serial, Names: [{ name: m.systemTitle }] }, IntervalBlocks: blocks });
    }
    const message = fromJsonValue({
      EventMessage: {
        Header: {
          Verb: 'created',
          Noun: 'MeterReadings',
          Timestamp: nowTimestamp(),
          Source: 'ami-interop unified HES (demo)',
          MessageID: newMessageId(),
        },
        Payload: { MeterReadings: { MeterReading: readings } },
      },
    });
    const violations = validateMessage(message);
    if (violations.length > 0)
      throw new Error(`MeterReadings invalid: ${violations[0]!.path}: ${violations[0]!.message}`);
    const xml = toXml(message, { pretty: true });
    log(
      `4. MeterReadings for the MDMS: ${readings.length} meters × ${readingTypes.size} ReadingTypes, ` +
        `${xml.length} bytes of 61968-100 XML, valid. ReadingTypes:`,
    );
    for (const [column, mrid] of readingTypes) log(`     ${column.padEnd(22)} ${mrid}`);
    return { keyFileBytes: file.length, meters: perMeter, message, xml };
  } finally {
    await sim.close();
  }
}

function describeRow(row: Row | undefined): string {
  if (!row) return '(none)';
  return Object.entries(row)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${isQuantity(v) ? `${v.value} ${v.unit}` : String(v)}`)
    .join(', ');
}
