/**
 * Browser side of the browser check (bundled by `harness.ts`, run in headless Chromium). Every input comes
 * from the conformance vectors, handed over by the test as `window.__AMI_INPUT__`; the page writes one result
 * per check (name, ok, detail) as JSON into `<pre id="result">`.
 *
 * @module
 */

import { isCimError } from '@ami-interop/cim';
import { fromJson, fromJsonValue, toJsonValue } from '@ami-interop/cim/json';
import {
  compressPayload,
  decompressPayload,
  fromXml,
  toXml,
  type XmlWriteOptions,
} from '@ami-interop/cim/xml';
import { builderToString, toXmlBuilder } from '@ami-interop/cim/xml-builder';
import type { Vector } from '@ami-interop/conformance-vectors';
import { fromHex, isDlmsError, toHex } from '@ami-interop/dlms';
import { type AcseApdu, decodeAcse, encodeAcse } from '@ami-interop/dlms/acse';
import { conformanceFromNumber } from '@ami-interop/dlms/apdu';
import { type DataJson, dataFromJson, dataToJson, decodeData, encodeData } from '@ami-interop/dlms/axdr';
import { decodeCapture } from '@ami-interop/dlms/capture';
import { DlmsClient } from '@ami-interop/dlms/client';
import { RegisterObject } from '@ami-interop/dlms/cosem';
import { type HdlcDeframeResult, HdlcDeframer, hdlcFrameToJson } from '@ami-interop/dlms/hdlc';
import { createMemoryLinkPair } from '@ami-interop/dlms/link';
import {
  defaultBackend,
  hlsGmacResponse,
  pickDefaultBackend,
  protectApdu,
  type SecurityControl,
  type SecurityPolicy,
  unprotectApdu,
  verifyHlsGmac,
} from '@ami-interop/dlms/security';
import { DlmsServer } from '@ami-interop/dlms/server';
import {
  generateKeyPair,
  isKeyfileError,
  type MeterRecordJson,
  meterFromJson,
  meterToJson,
  openKeyFile,
  privateKeyFromPem,
  privateKeyFromScalar,
  publicKeyFromPem,
  sealKeyFile,
} from '@ami-interop/keyfile';

/** What the test hands to the page (all taken from the conformance vector files). */
export interface BrowserInput {
  /** dlms/security-suite0: the Green Book glo-get-request vectors. */
  suite0: Vector[];
  /** dlms/security-hls-gmac: the Green Book passes 3 and 4, and a refusal. */
  hlsGmac: Vector[];
  /** dlms/hdlc: frames fed to the stream deframer. */
  hdlc: Vector[];
  /** dlms/acse: AARQ and AARE vectors. */
  acse: Vector[];
  /** dlms/axdr: Data vectors. */
  axdr: Vector[];
  /** A capture: HDLC frames (SNRM, UA, AARQ I-frame) whose AARQ is `captureAarq`. */
  captureFrames: Vector[];
  captureAarq: Vector;
  /** cim/messages: a MeterReadings reply and a refusal. */
  cim: Vector[];
  /** keyfile/akf: an ECDH-ES key file. */
  akf: Vector;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Deep equality of JSON-like values; an own property set to undefined equals a missing one. */
function diff(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (Object.is(actual, expected)) return undefined;
  if (actual instanceof Uint8Array && expected instanceof Uint8Array)
    return toHex(actual) === toHex(expected) ? undefined : `${path}: ${toHex(actual)} ≠ ${toHex(expected)}`;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `${path}: length ${actual.length} ≠ ${expected.length}`;
    for (let i = 0; i < actual.length; i++) {
      const d = diff(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (
    actual !== null &&
    expected !== null &&
    typeof actual === 'object' &&
    typeof expected === 'object' &&
    !Array.isArray(actual) &&
    !Array.isArray(expected)
  ) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of keys) {
      const d = diff(a[k], e[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  const show = (v: unknown): string => {
    const s = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  };
  return `${path}: ${show(actual)} ≠ ${show(expected)}`;
}

class Checks {
  readonly results: Check[] = [];

  /** Runs `fn`; it returns undefined on success or a description of what differed. */
  async run(name: string, fn: () => string | undefined | Promise<string | undefined>): Promise<void> {
    try {
      const problem = await fn();
      this.results.push({ name, ok: problem === undefined, detail: problem ?? 'ok' });
    } catch (e) {
      const detail = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
      this.results.push({ name, ok: false, detail: `threw ${detail}` });
    }
  }
}

/** The problems found over a list, or undefined when there were none. */
function all(problems: (string | undefined)[]): string | undefined {
  const found = problems.filter((p): p is string => p !== undefined);
  return found.length === 0 ? undefined : found.join('\n');
}

const bytesOf = (v: Vector): Uint8Array =>
  v.hex !== undefined ? fromHex(v.hex) : new TextEncoder().encode(v.text ?? '');
const param = (v: Vector, k: string): Uint8Array => fromHex(v.params?.[k] as string);

/** The code of the package's typed error `fn` throws ('accepted' if none, 'untyped …' if another throwable). */
function codeOf(fn: () => unknown, isTyped: (e: unknown) => e is { code: string }): string {
  try {
    fn();
  } catch (e) {
    return isTyped(e) ? e.code : `untyped ${String(e)}`;
  }
  return 'accepted';
}

async function runChecks(input: BrowserInput, subpaths: Record<string, object>): Promise<Check[]> {
  const c = new Checks();

  await c.run('runs in a browser: no process, no Buffer, WebCrypto random present', () =>
    all([
      typeof (globalThis as { process?: unknown }).process === 'undefined' ? undefined : 'process is defined',
      typeof (globalThis as { Buffer?: unknown }).Buffer === 'undefined' ? undefined : 'Buffer is defined',
      typeof globalThis.crypto?.getRandomValues === 'function' ? undefined : 'no crypto.getRandomValues',
    ]),
  );

  await c.run('every runtime-neutral subpath loads and has exports', () =>
    all(
      Object.entries(subpaths).map(([name, ns]) =>
        Object.keys(ns).length > 0 ? undefined : `${name}: no exports`,
      ),
    ),
  );

  await c.run('the default crypto backend is noble', () =>
    all([
      defaultBackend.name === 'noble' ? undefined : `defaultBackend is ${defaultBackend.name}`,
      pickDefaultBackend().name === 'noble'
        ? undefined
        : `pickDefaultBackend() is ${pickDefaultBackend().name}`,
    ]),
  );

  await c.run('security suite 0: Green Book glo-get-request deciphers and re-enciphers byte-exact', () =>
    all(
      input.suite0.map((v) => {
        const keys = { ek: param(v, 'ek'), ...(v.params?.['ak'] ? { ak: param(v, 'ak') } : {}) };
        const systemTitle = param(v, 'systemTitle');
        const acceptPolicies = v.params?.['acceptPolicies'] as SecurityPolicy[] | undefined;
        const r = unprotectApdu(bytesOf(v), keys, { systemTitle, acceptPolicies });
        const got = {
          kind: r.kind,
          plain: toHex(r.plain),
          securityControl: r.securityControl,
          invocationCounter: r.invocationCounter,
        };
        const d = v.decoded as { plain: string; securityControl: SecurityControl; invocationCounter: number };
        const policy = d.securityControl.authenticated
          ? d.securityControl.encrypted
            ? 'auth+enc'
            : 'auth'
          : 'enc';
        const again = protectApdu(fromHex(d.plain), {
          kind: 'glo',
          policy,
          systemTitle,
          invocationCounter: d.invocationCounter,
          ...keys,
        });
        const problem = diff(got, v.decoded) ?? diff(toHex(again), v.hex?.toUpperCase());
        return problem && `${v.name}: ${problem}`;
      }),
    ),
  );

  await c.run('HLS-GMAC: Green Book passes 3 and 4 verify and recompute; a wrong title is refused', () =>
    all(
      input.hlsGmac.map((v) => {
        const args = {
          challenge: param(v, 'challenge'),
          systemTitle: param(v, 'systemTitle'),
          ek: param(v, 'ek'),
          ak: param(v, 'ak'),
        };
        if (v.error) {
          const code = codeOf(() => verifyHlsGmac({ response: bytesOf(v), ...args }), isDlmsError);
          return code === v.error.code ? undefined : `${v.name}: ${code} ≠ ${v.error.code}`;
        }
        const got = verifyHlsGmac({ response: bytesOf(v), ...args });
        const ic = (v.decoded as { invocationCounter: number }).invocationCounter;
        const again = hlsGmacResponse({ invocationCounter: ic, ...args });
        const problem = diff(got, v.decoded) ?? diff(toHex(again), v.hex?.toUpperCase());
        return problem && `${v.name}: ${problem}`;
      }),
    ),
  );

  await c.run('HDLC: the stream deframer, fed one byte at a time, gives back every frame', () => {
    const d = new HdlcDeframer();
    const out: HdlcDeframeResult[] = [];
    for (const v of input.hdlc) for (const b of bytesOf(v)) out.push(...d.push(Uint8Array.of(b)));
    out.push(...d.end());
    const errors = out.filter((r) => r.kind === 'error');
    if (errors.length > 0) return `deframer errors: ${JSON.stringify(errors.map((e) => e.offset))}`;
    const frames = out.flatMap((r) => (r.kind === 'frame' ? [hdlcFrameToJson(r.frame)] : []));
    return diff(
      frames,
      input.hdlc.map((v) => v.decoded),
    );
  });

  await c.run('ACSE: AARQ/AARE vectors decode, and re-encode byte-exact', () =>
    all(
      input.acse.map((v) => {
        const got = decodeAcse(bytesOf(v));
        const problem =
          diff(got, v.decoded) ??
          (v.encode === false
            ? undefined
            : diff(toHex(encodeAcse(v.decoded as AcseApdu)), v.hex?.toUpperCase()));
        return problem && `${v.name}: ${problem}`;
      }),
    ),
  );

  await c.run('A-XDR Data: every vector decodes and re-encodes byte-exact', () =>
    all(
      input.axdr.map((v) => {
        const problem =
          diff(dataToJson(decodeData(bytesOf(v))), v.decoded) ??
          (v.encode === false
            ? undefined
            : diff(toHex(encodeData(dataFromJson(v.decoded as DataJson))), v.hex?.toUpperCase()));
        return problem && `${v.name}: ${problem}`;
      }),
    ),
  );

  await c.run(
    'decodeCapture: SNRM, UA and AARQ frames, then the Green Book glo-get-request deciphered',
    () => {
      const s0 = input.suite0[0]!;
      const frames = [...input.captureFrames.map(bytesOf), bytesOf(s0)];
      const entries = decodeCapture(frames, {
        keys: { ek: param(s0, 'ek'), ak: param(s0, 'ak') },
        clientSystemTitle: param(s0, 'systemTitle'),
      });
      const aarq = entries.find((e) => e.apdu?.name === 'aarq');
      const glo = entries.at(-1);
      return all([
        entries.length === frames.length
          ? undefined
          : `${entries.length} entries for ${frames.length} frames`,
        ...entries.map((e) => e.error && `entry ${e.index}: ${e.error.code} ${e.error.message}`),
        // IEC 62056-46: the client's SNRM, answered by the server's UA (which carries the negotiated parameters).
        /^SNRM\b/.test(entries[0]?.note ?? '') ? undefined : `entry 0 is "${entries[0]?.note}", not an SNRM`,
        /^UA\b/.test(entries[1]?.note ?? '') ? undefined : `entry 1 is "${entries[1]?.note}", not a UA`,
        aarq ? diff(aarq.apdu?.decoded, input.captureAarq.decoded) : 'no AARQ entry',
        diff(glo?.apdu?.name, 'glo-get-request'),
        diff(glo?.apdu?.security?.plain?.hex, (s0.decoded as { plain: string }).plain),
      ]);
    },
  );

  await c.run('CIM: MeterReadings XML → JSON → XML byte-exact (both parsers), fromJson, a refusal', () =>
    all(
      input.cim.map((v) => {
        if (v.error) {
          const code = codeOf(() => fromXml(v.text!), isCimError);
          return code === v.error.code ? undefined : `${v.name}: ${code} ≠ ${v.error.code}`;
        }
        const problems: (string | undefined)[] = [];
        for (const parser of ['builtin', 'fast-xml-parser'] as const)
          problems.push(diff(toJsonValue(fromXml(v.text!, { parser })), v.decoded));
        problems.push(diff(toXml(fromJsonValue(v.decoded), (v.params ?? {}) as XmlWriteOptions), v.text));
        problems.push(diff(toJsonValue(fromJson(JSON.stringify(v.decoded))), v.decoded));
        const problem = all(problems);
        return problem && `${v.name}: ${problem}`;
      }),
    ),
  );

  await c.run(
    'CIM: toXmlBuilder (xmlbuilder2, with the shims of the known deviations) writes the same text',
    () =>
      all(
        input.cim
          .filter((v) => !v.error)
          .map((v) => {
            const options = (v.params ?? {}) as XmlWriteOptions;
            const problem = diff(
              builderToString(toXmlBuilder(fromJsonValue(v.decoded), options), options),
              v.text,
            );
            return problem && `${v.name}: ${problem}`;
          }),
      ),
  );

  await c.run('CIM: the MeterReadings payload through gzip (CompressionStream) and back', async () => {
    const v = input.cim.find((x) => !x.error)!;
    const message = fromJsonValue(v.decoded);
    if (message.kind === 'FaultMessage' || !message.Payload) return `${v.name}: no payload`;
    const compressed = await compressPayload(message.Payload);
    return all([
      compressed.MeterReadings === undefined ? undefined : 'MeterReadings left beside Compressed',
      /^H4sI/.test(compressed.Compressed ?? '') ? undefined : 'Compressed is not base64 of gzip (1F 8B 08)',
      diff(await decompressPayload(compressed), { ...message.Payload, Format: 'XML' }),
    ]);
  });

  await c.run('keyfile: the AKF/1 ECDH vector opens, and re-seals byte-exact from its draws', () => {
    const v = input.akf;
    const p = v.params as {
      key: { privateScalar: string };
      signerScalar: string;
      certificate: string;
      now: string;
      cek: string;
      nonce: string;
      ephemeral: string;
    };
    const hes = privateKeyFromScalar(fromHex(p.key.privateScalar));
    const r = openKeyFile(bytesOf(v), { key: { kind: 'ecdh', privateKey: hes }, now: new Date(p.now) });
    const got = {
      header: r.header,
      count: r.count,
      chunks: r.chunks,
      meters: r.meters.map((m) => meterToJson(m, { reveal: true })),
    };
    const d = v.decoded as typeof got & { meters: MeterRecordJson[] };
    const draws = [p.cek, p.nonce, p.ephemeral].map(fromHex);
    const again = sealKeyFile(d.meters.map(meterFromJson), {
      issuer: d.header.issuer,
      recipientName: d.header.recipient,
      recipient: { kind: 'ecdh', publicKey: hes.publicKey },
      signer: {
        privateKey: privateKeyFromScalar(fromHex(p.signerScalar)),
        certificate: fromHex(p.certificate),
      },
      batchId: d.header.batchId,
      created: new Date(d.header.created),
      notBefore: new Date(d.header.notBefore),
      notAfter: new Date(d.header.notAfter),
      chunkSize: d.header.contentEncryption.chunkSize,
      random: (n) => {
        const next = draws.shift();
        if (!next || next.length !== n) throw new Error(`unexpected draw of ${n} bytes`);
        return next;
      },
    });
    return diff(got, v.decoded) ?? diff(new TextDecoder().decode(again), v.text);
  });

  await c.run(
    'keyfile: seal/open round trip with fresh keys and browser randomness; a tamper is refused',
    () => {
      const d = input.akf.decoded as { meters: MeterRecordJson[] };
      const hes = generateKeyPair();
      const maker = generateKeyPair({ cert: { subject: 'CN=Maker, C=IN' } });
      const file = sealKeyFile(d.meters.map(meterFromJson), {
        issuer: 'Maker',
        recipientName: 'HES',
        recipient: { kind: 'ecdh', publicKey: publicKeyFromPem(hes.publicKeyPem) },
        signer: { privateKey: privateKeyFromPem(maker.privateKeyPem), certificate: maker.certificatePem! },
      });
      const key = { kind: 'ecdh' as const, privateKey: privateKeyFromPem(hes.privateKeyPem) };
      const opened = openKeyFile(file, { key });
      const tampered = Uint8Array.from(file);
      const at = tampered.indexOf(0x0a) + 10; // inside the first chunk's base64
      tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
      const refusal = codeOf(() => openKeyFile(tampered, { key }), isKeyfileError);
      return all([
        diff(
          opened.meters.map((m) => meterToJson(m, { reveal: true })),
          d.meters,
        ),
        refusal === 'accepted' || refusal.startsWith('untyped') ? `tampered file: ${refusal}` : undefined,
      ]);
    },
  );

  await c.run('association: DlmsClient ↔ DlmsServer over memory links, HLS-GMAC with auth+enc', async () => {
    const s0 = input.suite0[0]!;
    const ek = param(s0, 'ek');
    const ak = param(s0, 'ak');
    const value = { type: 'double-long-unsigned' as const, value: 123456 };
    const server = new DlmsServer({
      objects: [new RegisterObject('1.0.1.8.0.255', { value, scalerUnit: { scaler: 0, unit: 30 } })],
      associations: [
        {
          clientSap: 48,
          authentication: { mechanism: 'hls-gmac' },
          securityPolicy: 'auth+enc',
          keys: { ek, ak },
          // get, set, action, selective-access, block transfer, multiple references, GBT
          conformance: conformanceFromNumber(0x00fe1f | 0x400000 | 0x200000),
        },
      ],
      systemTitle: fromHex('4D4D4D0000000001'),
    });
    const [clientLink, serverLink] = createMemoryLinkPair({ client: 48, server: 1 });
    const served = server.handle(serverLink);
    const client = await DlmsClient.associate(clientLink, {
      authentication: 'hls-gmac',
      security: { systemTitle: param(s0, 'systemTitle'), ek, ak },
    });
    const got = await client.get({ classId: 3, obis: '1.0.1.8.0.255', attribute: 2 });
    await client.release();
    await client.close();
    await server.close();
    await served;
    return diff(got, value);
  });

  return c.results;
}

/** Runs the checks and writes `{ userAgent, checks }` into `<pre id="result">`. */
export async function main(subpaths: Record<string, object>): Promise<void> {
  const out = document.getElementById('result')!;
  const input = (globalThis as { __AMI_INPUT__?: BrowserInput }).__AMI_INPUT__;
  let checks: Check[];
  if (!input) checks = [{ name: 'input present', ok: false, detail: 'window.__AMI_INPUT__ is missing' }];
  else checks = await runChecks(input, subpaths);
  out.textContent = JSON.stringify({ userAgent: navigator.userAgent, checks });
  out.setAttribute('data-state', 'done');
}
