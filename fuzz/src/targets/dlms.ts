/**
 * Fuzz targets for `@ami-interop/dlms`: one per decoder, each seeded from the conformance vectors of the
 * families it reads.
 *
 * @module
 */

import { loadVectors } from '@ami-interop/conformance-vectors';
import { decodeAcse, encodeAcse } from '@ami-interop/dlms/acse';
import { apduFromJson, apduToJson, decodeXdlmsApdu, encodeXdlmsApdu } from '@ami-interop/dlms/apdu';
import { dataFromJson, dataToJson, decodeData, encodeData } from '@ami-interop/dlms/axdr';
import { decodeCapture } from '@ami-interop/dlms/capture';
import { type ClassSpec, classSpec, decodeAttribute, encodeAttribute } from '@ami-interop/dlms/cosem';
import { isDlmsError } from '@ami-interop/dlms/errors';
import {
  decodeHdlcFrame,
  decodeHdlcParameters,
  encodeHdlcFrame,
  HdlcConnection,
  HdlcDeframer,
  type HdlcFrame,
  hdlcFrameFromJson,
  hdlcFrameToJson,
} from '@ami-interop/dlms/hdlc';
import { parseObis } from '@ami-interop/dlms/obis';
import {
  decodeAckMessage,
  decodeIdentificationMessage,
  decodeRequestMessage,
  ModeESignOn,
} from '@ami-interop/dlms/optical';
import {
  decodeCipheredApdu,
  decodeGeneralSigning,
  decodeKeyTransferData,
  encodeCipheredApdu,
  type SecurityKeys,
  unprotectApdu,
} from '@ami-interop/dlms/security';
import {
  decodeWrapperFrame,
  encodeWrapperFrame,
  WrapperDeframer,
  wrapperFrameFromJson,
  wrapperFrameToJson,
} from '@ami-interop/dlms/wrapper';
import type { FuzzTarget } from '../target.ts';
import { chunked, hex, latin1, prefixesIncomplete, roundTrip, tryTyped, utf8 } from './util.ts';

/** Keys of the Green Book suite-0 examples (conformance-vectors/dlms/security-suite0.json). */
const SUITE0_KEYS: SecurityKeys = {
  ek: hex('000102030405060708090A0B0C0D0E0F'),
  ak: hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF'),
  kek: hex('000102030405060708090A0B0C0D0E0F'),
};
const SUITE0_SYSTEM_TITLE = hex('4D4D4D0000BC614E');

const APDU_FAMILIES = [
  'dlms/apdu-get',
  'dlms/apdu-set',
  'dlms/apdu-action',
  'dlms/apdu-notification',
  'dlms/apdu-gbt',
  'dlms/apdu-access',
  'dlms/initiate',
] as const;

/** Every `kind: 'error'` result of a deframer must carry a DlmsError. */
function untypedResult(results: readonly { kind: string; error?: unknown }[]): string | undefined {
  for (const r of results)
    if (r.kind === 'error' && !isDlmsError(r.error)) return `deframer result carries an untyped error`;
  return undefined;
}

/** Feeds frames to a client and a server link state machine built around the first frame's addresses. */
class LinkPair {
  #client: HdlcConnection | undefined;
  #server: HdlcConnection | undefined;
  feed(frame: HdlcFrame): string | undefined {
    if (this.#client === undefined) {
      const made = tryTyped(() => {
        const client = new HdlcConnection({ role: 'client', local: frame.destination, remote: frame.source });
        client.connect();
        const server = new HdlcConnection({ role: 'server', local: frame.destination });
        return [client, server] as const;
      });
      if (made === undefined) return undefined;
      [this.#client, this.#server] = made;
    }
    for (const c of [this.#client, this.#server!]) {
      const step = c.onFrame(frame);
      for (const ev of step.events)
        if (ev.type === 'error' && !isDlmsError(ev.error))
          return 'HdlcConnection event with an untyped error';
    }
    return undefined;
  }
}

/** Class ids the vector families without a `classId` param are about. */
const COSEM_FAMILY_CLASS: Record<string, number> = { 'dlms/cosem-clock': 8, 'dlms/cosem-profile-generic': 7 };

/** Seeds of the cosem target: class id, attribute id, then the attribute's Data. */
function cosemSeeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const family of ['dlms/cosem-register', 'dlms/cosem-clock', 'dlms/cosem-profile-generic']) {
    for (const v of loadVectors(family).vectors) {
      const p = (v.params ?? {}) as { classId?: number; attribute?: number };
      const classId = p.classId ?? COSEM_FAMILY_CLASS[family];
      if (v.hex === undefined || classId === undefined || p.attribute === undefined) continue;
      const data = hex(v.hex);
      const b = new Uint8Array(data.length + 2);
      b[0] = classId;
      b[1] = p.attribute;
      b.set(data, 2);
      out.push(b);
    }
  }
  return out;
}

/** JSON forms of the vectors, each as `{"<kind>": <json form>}` so one target can route it. */
function jsonSeeds(): Uint8Array[] {
  const enc = new TextEncoder();
  const out: Uint8Array[] = [];
  const add = (kind: string, families: readonly string[], toJson: (b: Uint8Array) => unknown): void => {
    for (const family of families)
      for (const v of loadVectors(family).vectors) {
        if (v.hex === undefined || v.error !== undefined) continue;
        const json = tryTyped(() => toJson(hex(v.hex!)));
        if (json !== undefined) out.push(enc.encode(JSON.stringify({ [kind]: json })));
      }
  };
  add('data', ['dlms/axdr'], (b) => dataToJson(decodeData(b)));
  add('apdu', APDU_FAMILIES, (b) => apduToJson(decodeXdlmsApdu(b)));
  add('hdlc', ['dlms/hdlc'], (b) => hdlcFrameToJson(decodeHdlcFrame(b)));
  add('wrapper', ['dlms/wrapper'], (b) => wrapperFrameToJson(decodeWrapperFrame(b)));
  return out;
}

/** Each JSON-form reader, followed by the encoder of what it read (a JSON form must read and encode, or be refused). */
const JSON_FROM: Record<string, (j: never) => unknown> = {
  data: (j) => encodeData(dataFromJson(j)),
  apdu: (j) => encodeXdlmsApdu(apduFromJson(j)),
  hdlc: (j) => encodeHdlcFrame(hdlcFrameFromJson(j)),
  wrapper: (j) => encodeWrapperFrame(wrapperFrameFromJson(j)),
};

export const dlmsTargets: readonly FuzzTarget[] = [
  {
    name: 'dlms-axdr',
    pkg: 'dlms',
    description: 'decodeData (A-XDR Data, all 28 types, compact arrays, nesting limits), round trip',
    families: [
      'dlms/axdr',
      'dlms/length',
      'dlms/cosem-register',
      'dlms/cosem-clock',
      'dlms/cosem-profile-generic',
    ],
    run(input) {
      return (
        roundTrip(decodeData(input), encodeData, decodeData, dataToJson) ??
        prefixesIncomplete(input, decodeData)
      );
    },
  },
  {
    name: 'dlms-cosem',
    pkg: 'dlms',
    description:
      'decodeAttribute of COSEM interface classes (byte 0: class id, byte 1: attribute, then Data), round trip',
    families: [],
    extraSeeds: cosemSeeds,
    run(input) {
      if (input.length < 2) return undefined;
      const spec = classSpec(input[0]!) as ClassSpec | undefined;
      if (spec === undefined) return undefined;
      const attribute = input[1]!;
      const value = decodeAttribute(spec, attribute, decodeData(input.subarray(2)));
      return roundTrip(
        value,
        (v) => encodeData(encodeAttribute(spec, attribute, v)),
        (b) => decodeAttribute(spec, attribute, decodeData(b)),
      );
    },
  },
  {
    name: 'dlms-json',
    pkg: 'dlms',
    description:
      'dataFromJson, apduFromJson, hdlcFrameFromJson, wrapperFrameFromJson on parsed JSON text ({"<kind>": form}), then the encoder; every reader also gets the bare value',
    families: [],
    extraSeeds: jsonSeeds,
    text: true,
    dictionary: ['null', 'true', '0', '-1', '1e400', '[]', '{}', '""', '"FF"', '{"type":', '"value":', ','],
    run(input) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8(input));
      } catch {
        return undefined; // not JSON: JSON.parse's business, not ours
      }
      const entries =
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [];
      for (const [kind, form] of entries) {
        const from = JSON_FROM[kind];
        if (from) tryTyped(() => from(form as never));
      }
      // The readers must refuse any value, not only well-shaped ones.
      for (const from of Object.values(JSON_FROM)) tryTyped(() => from(parsed as never));
      return undefined;
    },
  },
  {
    name: 'dlms-obis',
    pkg: 'dlms',
    description: 'parseObis on the bytes and on the same bytes read as text',
    families: ['dlms/obis'],
    text: true,
    dictionary: ['.', '-', ':', '*', '&', '255', '1-0:1.8.0.255', '0.0.96.1.0.255'],
    run(input) {
      tryTyped(() => parseObis(input));
      parseObis(latin1(input));
      return undefined;
    },
  },
  {
    name: 'dlms-acse',
    pkg: 'dlms',
    description: 'decodeAcse (AARQ, AARE, RLRQ, RLRE in BER via asn1js), round trip',
    families: ['dlms/acse'],
    run(input) {
      return roundTrip(decodeAcse(input), encodeAcse, decodeAcse) ?? prefixesIncomplete(input, decodeAcse);
    },
  },
  {
    name: 'dlms-apdu',
    pkg: 'dlms',
    description: 'decodeXdlmsApdu (initiate, GET/SET/ACTION/ACCESS, notifications, GBT, errors), round trip',
    families: APDU_FAMILIES,
    run(input) {
      return (
        roundTrip(decodeXdlmsApdu(input), encodeXdlmsApdu, decodeXdlmsApdu, apduToJson) ??
        prefixesIncomplete(input, decodeXdlmsApdu)
      );
    },
  },
  {
    name: 'dlms-hdlc-frame',
    pkg: 'dlms',
    description: 'decodeHdlcFrame (round trip), then decodeHdlcParameters on its information field',
    families: ['dlms/hdlc'],
    run(input) {
      const f = decodeHdlcFrame(input);
      if (f.info !== undefined && f.info.length > 0) tryTyped(() => decodeHdlcParameters(f.info));
      return roundTrip(f, encodeHdlcFrame, decodeHdlcFrame) ?? prefixesIncomplete(input, decodeHdlcFrame);
    },
  },
  {
    name: 'dlms-hdlc-stream',
    pkg: 'dlms',
    description:
      'HdlcDeframer fed in uneven chunks, every frame given to a client and a server HdlcConnection',
    families: ['dlms/hdlc'],
    run(input) {
      const d = new HdlcDeframer();
      const link = new LinkPair();
      const results = [];
      for (const chunk of chunked(input)) {
        results.push(...d.push(chunk));
        if (d.buffered > d.maxFrameLength + 2) return `deframer holds ${d.buffered} bytes`;
      }
      results.push(...d.end());
      const bad = untypedResult(results);
      if (bad) return bad;
      for (const r of results) {
        if (r.kind !== 'frame') continue;
        const p = link.feed(r.frame);
        if (p) return p;
      }
      return undefined;
    },
  },
  {
    name: 'dlms-wrapper-frame',
    pkg: 'dlms',
    description: 'decodeWrapperFrame (IEC 62056-47 header + APDU), round trip',
    families: ['dlms/wrapper'],
    run(input) {
      return (
        roundTrip(decodeWrapperFrame(input), encodeWrapperFrame, decodeWrapperFrame) ??
        prefixesIncomplete(input, decodeWrapperFrame)
      );
    },
  },
  {
    name: 'dlms-wrapper-stream',
    pkg: 'dlms',
    description: 'WrapperDeframer fed in uneven chunks, with a small maxApduLength',
    families: ['dlms/wrapper'],
    run(input) {
      const d = new WrapperDeframer({ maxApduLength: 1024 });
      const results = [];
      for (const chunk of chunked(input)) {
        results.push(...d.push(chunk));
        if (d.buffered > 8 + d.maxApduLength) return `deframer holds ${d.buffered} bytes`;
      }
      results.push(...d.end());
      return untypedResult(results);
    },
  },
  {
    name: 'dlms-optical',
    pkg: 'dlms',
    description: 'IEC 62056-21 request, identification and ack decoders, and ModeESignOn.onBytes',
    families: ['dlms/optical'],
    text: true,
    dictionary: ['/?', '!\r\n', '\r\n', '\x06', '2', '5', '\\2', '\\W', '/ISk5ME382-1003\r\n'],
    run(input) {
      tryTyped(() => decodeRequestMessage(input));
      tryTyped(() => decodeIdentificationMessage(input));
      tryTyped(() => decodeAckMessage(input));
      const s = new ModeESignOn();
      s.start();
      for (const chunk of chunked(input)) {
        const step = s.onBytes(chunk);
        if (step.kind === 'failed' && !isDlmsError(step.error))
          return 'ModeESignOn step with an untyped error';
        if (step.kind !== 'wait') break;
      }
      return undefined;
    },
  },
  {
    name: 'dlms-security-envelope',
    pkg: 'dlms',
    description: 'decodeCipheredApdu (round trip), decodeGeneralSigning and decodeKeyTransferData (no keys)',
    families: ['dlms/security-envelope', 'dlms/security-suite0', 'dlms/security-key-transfer'],
    run(input) {
      tryTyped(() => decodeGeneralSigning(input));
      tryTyped(() => decodeKeyTransferData(input));
      return (
        roundTrip(decodeCipheredApdu(input), encodeCipheredApdu, decodeCipheredApdu) ??
        prefixesIncomplete(input, decodeCipheredApdu)
      );
    },
  },
  {
    name: 'dlms-security-unprotect',
    pkg: 'dlms',
    description: 'unprotectApdu with the Green Book suite-0 keys, every policy accepted',
    families: ['dlms/security-suite0'],
    run(input) {
      unprotectApdu(input, SUITE0_KEYS, {
        systemTitle: SUITE0_SYSTEM_TITLE,
        acceptPolicies: ['auth', 'enc', 'auth+enc'],
      });
      return undefined;
    },
  },
  {
    name: 'dlms-capture',
    pkg: 'dlms',
    description:
      'decodeCapture as a stream and as a list of frames (framing detection, HDLC reassembly, deciphering)',
    families: ['dlms/hdlc', 'dlms/wrapper', 'dlms/acse', 'dlms/security-suite0', 'dlms/apdu-get'],
    run(input) {
      const options = {
        keys: SUITE0_KEYS,
        clientSystemTitle: SUITE0_SYSTEM_TITLE,
        serverSystemTitle: SUITE0_SYSTEM_TITLE,
      };
      // As one byte stream, and as a list of frames (the input cut in uneven pieces).
      for (const entries of [decodeCapture(input, options), decodeCapture(chunked(input), options)])
        for (const e of entries)
          if (e.error?.code === 'INTERNAL')
            return `capture entry ${e.index}: untyped error caught: ${e.error.message}`;
      return undefined;
    },
  },
];
