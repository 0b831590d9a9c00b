/**
 * Public traces from other implementations (real meters and other clients), through our decoders.
 *
 * The frames and their sources are in `conformance-vectors/dlms/interop-traces.json`; docs/interop.md
 * ("Public traces from other implementations") says where each came from and what it showed. This file
 * also holds the regression tests of the two decoder fixes those traces led to:
 *
 * - a data-notification date-time sent as a tagged Data octet-string (`09 0C …`, Kaifa MA304 meters);
 * - the direction of an HDLC frame taken from its LLC header before the address sizes (L+G E450 pushes).
 */
import { loadVectors, type Vector } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AcseApdu, decodeAcse, encodeAcse } from '../src/acse/index.ts';
import {
  apduFromJson,
  apduToJson,
  type DataNotification,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  type XdlmsDecodeOptions,
} from '../src/apdu/index.ts';
import { encodeData } from '../src/axdr/index.ts';
import { decodeCapture } from '../src/capture/index.ts';
import { isDlmsError } from '../src/errors.ts';
import {
  addLlc,
  decodeHdlcFrame,
  decodeHdlcParameters,
  encodeHdlcFrame,
  type HdlcFrameJson,
  hdlcFrameFromJson,
  hdlcFrameToJson,
  type LlcDirection,
  stripLlc,
} from '../src/hdlc/index.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import {
  type CipheredApdu,
  cipheredServiceOf,
  decodeCipheredApdu,
  encodeCipheredApdu,
  GENERAL_CIPHERING,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
} from '../src/security/index.ts';
import { decodeWrapperFrame, encodeWrapperFrame } from '../src/wrapper/index.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);

/** The `decoded` form of an interop-traces vector (see the family's description). */
interface TraceForm {
  frame?: HdlcFrameJson;
  wrapper?: { source: number; destination: number };
  llc?: LlcDirection | 'none';
  apdu?: unknown;
  parameters?: unknown;
}

interface TraceParams {
  decode?: XdlmsDecodeOptions;
  traceApdu?: string;
  traceApplicationData?: string;
}

const paramsOf = (v: Vector): TraceParams => (v.params ?? {}) as TraceParams;

const ACSE_TAGS = new Set([0x60, 0x61, 0x62, 0x63]);

const isCiphered = (tag: number): boolean =>
  cipheredServiceOf(tag) !== undefined ||
  tag === GENERAL_GLO_CIPHERING ||
  tag === GENERAL_DED_CIPHERING ||
  tag === GENERAL_CIPHERING;

/** The byte-array fields of a CipheredApdu, shown as hex in the vectors. */
const CIPHER_BYTES = ['payload', 'authTag', 'systemTitle'] as const;

function decodeApduForm(apdu: Uint8Array, options: XdlmsDecodeOptions | undefined): unknown {
  if (apdu.length > 0 && ACSE_TAGS.has(apdu[0]!)) return decodeAcse(apdu);
  if (apdu.length > 0 && isCiphered(apdu[0]!)) {
    // The envelope only: these traces come without their keys.
    const c = decodeCipheredApdu(apdu) as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = { ...c };
    for (const k of CIPHER_BYTES) if (c[k] instanceof Uint8Array) out[k] = toHex(c[k] as Uint8Array);
    return out;
  }
  return apduToJson(decodeXdlmsApdu(apdu, options));
}

function encodeApduForm(json: unknown): Uint8Array {
  const j = json as Record<string, unknown>;
  if (j.kind !== undefined) {
    const c: Record<string, unknown> = { ...j };
    for (const k of CIPHER_BYTES) if (typeof j[k] === 'string') c[k] = fromHex(j[k] as string);
    return encodeCipheredApdu(c as unknown as CipheredApdu);
  }
  const type = j.type;
  if (type === 'aarq' || type === 'aare' || type === 'rlrq' || type === 'rlre')
    return encodeAcse(json as AcseApdu);
  return encodeXdlmsApdu(apduFromJson(json));
}

/** One whole frame (HDLC or wrapper) or a bare APDU through the library decoders, to the vector's form. */
function decodeTrace(bytes: Uint8Array, v: Vector): TraceForm {
  const options = paramsOf(v).decode;
  if (bytes.length > 0 && bytes[0] === 0x00) {
    // IEC 62056-47 wrapper: version 0001, source and destination wPorts, length (no APDU tag is 00).
    const w = decodeWrapperFrame(bytes);
    return {
      wrapper: { source: w.source, destination: w.destination },
      apdu: decodeApduForm(w.apdu, options),
    };
  }
  if (bytes.length === 0 || bytes[0] !== 0x7e) return { apdu: decodeApduForm(bytes, options) };
  const f = decodeHdlcFrame(bytes);
  const frame = hdlcFrameToJson(f);
  if (f.control.type !== 'I' && f.control.type !== 'UI') {
    const out: TraceForm = { frame };
    if (f.info && f.info.length > 0) out.parameters = decodeHdlcParameters(f.info);
    return out;
  }
  // One segment of a longer APDU (the segmentation bit set, or the last one of such a run): only the
  // joined APDU decodes, and it is a vector of its own. The vector says which by having no apdu.
  if (f.segmented || (v.decoded as TraceForm | undefined)?.apdu === undefined) return { frame };
  delete frame.info;
  const info = f.info ?? new Uint8Array(0);
  // The L+G E450 sends the LLC header only in the first UI frame of a push: no E6 means no LLC.
  if (info.length > 0 && info[0] !== 0xe6) return { frame, llc: 'none', apdu: decodeApduForm(info, options) };
  const { direction, apdu } = stripLlc(info);
  return { frame, llc: direction, apdu: decodeApduForm(apdu, options) };
}

function encodeTrace(decoded: unknown): Uint8Array {
  const d = decoded as TraceForm;
  if (d.wrapper !== undefined) return encodeWrapperFrame({ ...d.wrapper, apdu: encodeApduForm(d.apdu) });
  if (d.frame === undefined) return encodeApduForm(d.apdu);
  if (d.apdu === undefined) return encodeHdlcFrame(hdlcFrameFromJson(d.frame));
  const apdu = encodeApduForm(d.apdu);
  const info = d.llc === 'none' || d.llc === undefined ? apdu : addLlc(apdu, d.llc);
  return encodeHdlcFrame(hdlcFrameFromJson({ ...d.frame, info: toHex(info) }));
}

runConformance('dlms/interop-traces', {
  decode: decodeTrace,
  encode: encodeTrace,
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('interop traces: what the traces themselves say', () => {
  const file = loadVectors('dlms/interop-traces');

  it('covers real sessions, not single frames only (at least 25 frames from at least 8 sources)', () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(25);
    expect(new Set(file.vectors.map((v) => v.source)).size).toBeGreaterThanOrEqual(8);
    for (const s of Object.values(file.sources)) expect(s.kind).toBe('interop');
  });

  for (const v of file.vectors) {
    const p = paramsOf(v);
    if (p.traceApdu === undefined) continue;
    it(`delimits the APDU and the notification body as the trace's tool did: ${v.name}`, () => {
      const d = decodeTrace(fromHex(v.hex!), v);
      // amsreader-firmware printed 'DLMS frame' (the APDU after the LLC header) and 'Using application
      // data' (the notification body after the empty date-time).
      expect(toHex(encodeApduForm(d.apdu))).toBe(p.traceApdu);
      const x = apduFromJson(d.apdu) as DataNotification;
      expect(toHex(encodeData(x.notificationBody))).toBe(p.traceApplicationData);
    });
  }

  it('decodes every trace source as one capture (ami dlms decode --file), with no error and the right direction', () => {
    const bySource = new Map<string, Uint8Array[]>();
    for (const v of file.vectors) {
      if (!v.hex!.startsWith('7E') && !v.hex!.startsWith('0001')) continue;
      const list = bySource.get(v.source) ?? [];
      list.push(fromHex(v.hex!));
      bySource.set(v.source, list);
    }
    for (const [source, frames] of bySource) {
      const entries = decodeCapture(frames);
      expect(entries, source).toHaveLength(frames.length);
      for (const e of entries) {
        expect(e.error, `${source} #${e.index}`).toBeUndefined();
        expect(e.apdu?.error, `${source} #${e.index}`).toBeUndefined();
        const vec = file.vectors.find((x) => x.hex === toHex(frames[e.index]!))!;
        const llc = (vec.decoded as TraceForm).llc;
        // Frames with an LLC header: the capture's direction must agree with it.
        if (llc === 'command') expect(e.direction, `${source} #${e.index}`).toBe('client-to-server');
        if (llc === 'response') expect(e.direction, `${source} #${e.index}`).toBe('server-to-client');
      }
    }
  });

  // Sources whose APDU spans several frames (HDLC segments or general-block-transfer blocks) have a
  // vector for the joined APDU (a bare APDU, named '… joined …'): decodeCapture must produce it.
  const joinedVectors = file.vectors.filter((v) => /\bjoined\b/.test(v.name) && !v.hex!.startsWith('7E'));
  it('has a joined vector for each multi-frame source (E450, lng, Iskra)', () => {
    expect(joinedVectors.map((v) => v.source).sort()).toEqual([
      'interop-amsreader-lg-gbt',
      'interop-esphome-lg-e450-cyprus',
      'interop-tasmota-iskra-am550',
    ]);
  });
  for (const joined of joinedVectors) {
    it(`joins the frames of ${joined.source} in a capture into: ${joined.name}`, () => {
      const frames = file.vectors
        .filter((v) => v.source === joined.source && v.hex!.startsWith('7E'))
        .map((v) => fromHex(v.hex!));
      expect(frames.length).toBeGreaterThan(1);
      const entries = decodeCapture(frames);
      const last = entries[entries.length - 1]!;
      // HDLC segments: the last frame completes the APDU; GBT: the last block carries it.
      const whole = last.apdu?.carried ?? last.apdu;
      expect(whole?.hex).toBe(joined.hex);
      expect(whole?.decoded).toEqual((joined.decoded as TraceForm).apdu);
      for (const e of entries.slice(0, -1)) expect(e.apdu?.carried).toBeUndefined();
    });
  }
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

// The APDU of the first frame of the Kaifa capture (amsreader-firmware frames/Kaifa-TN-3p.raw): the
// date-time is `09 0C` + 12 octets, then a one-element structure holding active power 0x0BF3 = 3059 W.
const KAIFA_APDU = '0F40000000090C07E5031702131A3AFF80000002010600000BF3';
const TOLERANT: XdlmsDecodeOptions = { tolerateTaggedDateTime: true };

describe('data-notification date-time sent as a tagged Data octet-string (09 0C …)', () => {
  it('is refused by default, as the Green Book OCTET STRING reading says (length 09 is no date-time)', () => {
    const e = thrown(() => decodeXdlmsApdu(fromHex(KAIFA_APDU)));
    expect(codeOf(e)).toBe('MALFORMED');
    expect((e as { offset?: number }).offset).toBe(5);
  });

  it('is accepted with tolerateTaggedDateTime, says so in the model and encodes back byte-exact', () => {
    const x = decodeXdlmsApdu(fromHex(KAIFA_APDU), TOLERANT) as DataNotification;
    expect(x.type).toBe('data-notification');
    expect(x.dateTimeForm).toBe('data-tagged');
    // 07E5 03 17 02 13 1A 3A FF 8000 00: Tuesday 23 March 2021 19:26:58, hundredths and deviation n.s.
    expect(x.dateTime).toMatchObject({
      year: 2021,
      month: 3,
      dayOfMonth: 23,
      dayOfWeek: 2,
      hour: 19,
      minute: 26,
      second: 58,
    });
    expect(x.notificationBody).toEqual({
      type: 'structure',
      value: [{ type: 'double-long-unsigned', value: 3059 }],
    });
    expect(toHex(encodeXdlmsApdu(x))).toBe(KAIFA_APDU);
  });

  it('changes nothing for the conformant forms (empty, or 0C + 12 octets)', () => {
    for (const hex of ['0F400000000000', '0F400000000C07E5031702131A3AFF80000000']) {
      const strict = decodeXdlmsApdu(fromHex(hex));
      const tolerant = decodeXdlmsApdu(fromHex(hex), TOLERANT);
      expect(tolerant).toEqual(strict);
      expect((tolerant as DataNotification).dateTimeForm).toBeUndefined();
    }
  });

  it('still refuses 09 followed by anything but 0C, even when tolerant', () => {
    const e = thrown(() => decodeXdlmsApdu(fromHex('0F40000000090B07E5031702131A3AFF800000'), TOLERANT));
    expect(codeOf(e)).toBe('MALFORMED');
  });

  it('reports every strict prefix as INCOMPLETE when tolerant (never a wrong value)', () => {
    const bytes = fromHex(KAIFA_APDU);
    for (let n = 0; n < bytes.length; n++) {
      const e = thrown(() => decodeXdlmsApdu(bytes.subarray(0, n), TOLERANT));
      expect(codeOf(e), `prefix of ${n} bytes: ${String(e)}`).toBe('INCOMPLETE');
    }
  });

  it('refuses a dateTimeForm without a dateTime, or an unknown one, when encoding', () => {
    const x = decodeXdlmsApdu(fromHex(KAIFA_APDU), TOLERANT) as DataNotification;
    const noTime = { ...x };
    delete noTime.dateTime;
    expect(codeOf(thrown(() => encodeXdlmsApdu(noTime)))).toBe('INVALID_ARGUMENT');
    const odd = { ...x, dateTimeForm: 'other' } as unknown as DataNotification;
    expect(codeOf(thrown(() => encodeXdlmsApdu(odd)))).toBe('INVALID_ARGUMENT');
  });

  it('is accepted by decodeCapture, with a note naming the deviation', () => {
    const frame = fromHex(`7EA02701020110 5A87 E6E700 ${KAIFA_APDU} 5B05 7E`);
    const [e] = decodeCapture([frame]);
    expect(e!.error).toBeUndefined();
    expect(e!.apdu!.error).toBeUndefined();
    expect(e!.apdu!.name).toBe('data-notification');
    expect(e!.apdu!.note).toMatch(/09 0C/);
  });
});

describe('HDLC direction from the LLC header', () => {
  // Landis+Gyr E450 push (esphome/esphome PR #16942): destination CE FF = two-byte address (upper 103,
  // lower 0x7F), source 03 = one-byte address 1, UI, LLC E6 E7 00 (a response: server → client).
  // By address sizes alone it would look like client → server.
  const E450 = [
    '7EA084CEFF0313128BE6E700E04000010000700F007C83D30C07EA071206103A00FF800000020D010D020412002809060009190900FF0F021200000204120001090600002A0000FF0F02120000020412000109060000600101FF0F02120000020412000109060000600E00FF0F02120000020412000309060100010801FF0F0212000008F77E',
    // Blocks 2 and 3 carry no LLC header (only the first UI frame of the push does).
    '7EA07DCEFF0313D045E040000200006C020412000309060100010802FF0F02120000020412000309060100020801FF0F02120000020412000309060100020802FF0F02120000020412000309060100010800FF0F02120000020412000309060100020800FF0F02120000020412000309060100030800FF0F02120000B34E7E',
    '7EA084CEFF0313128BE0C00003000073020412000309060100040800FF0F0212000002041200460906000060030AFF0F0312000009104C475A31303230373832353436333731090731323939363532090852415445320000000600361F58060036C67E0600018EB306002778D506006CE5D60600290788060004C70D06002714591601882B7E',
  ];

  it('takes server → client from E6 E7 00 although the destination address is the longer one', () => {
    const entries = decodeCapture(E450.map((h) => fromHex(h)));
    expect(entries[0]!.link).toMatchObject({
      destination: { size: 2, upper: 103, lower: 127 },
      source: { size: 1, upper: 1 },
    });
    // The first block by its LLC header; the next two (no LLC) by the addresses learnt from it.
    expect(entries.map((e) => e.direction)).toEqual([
      'server-to-client',
      'server-to-client',
      'server-to-client',
    ]);
    const carried = entries[2]!.apdu!.carried!;
    expect(carried.name).toBe('data-notification');
    expect(carried.error).toBeUndefined();
  });

  it('takes client → server from E6 E6 00 (dlms-cosem issue #97 GET request, 4-byte server address)', () => {
    const [e] = decodeCapture([fromHex('7EA01C00023C470332F685E6E600C001C100010100202000FF01005A627E')]);
    expect(e!.direction).toBe('client-to-server');
    expect(e!.apdu!.name).toBe('get-request-normal');
  });
});

describe('interop traces, mutated: real frames with a byte changed', () => {
  const file = loadVectors('dlms/interop-traces');
  const all = file.vectors.map((v) => ({ v, bytes: fromHex(v.hex!) }));

  it('never make the decoders throw anything but DlmsError (tolerant options on), nor decodeCapture throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (i, at, value) => {
          const { v, bytes } = all[i]!;
          const b = Uint8Array.from(bytes);
          b[at % b.length] = value;
          try {
            decodeTrace(b, { ...v, params: { decode: { tolerateTaggedDateTime: true } } });
          } catch (e) {
            if (!isDlmsError(e)) throw e;
          }
          decodeCapture([b]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('decode the same with and without tolerateTaggedDateTime unless the date-time is 09 0C', () => {
    for (const { v, bytes } of all) {
      const strict = { ...v, params: {} } as Vector;
      const tolerant = { ...v, params: { decode: { tolerateTaggedDateTime: true } } } as Vector;
      let a: unknown;
      let strictError: unknown;
      try {
        a = decodeTrace(bytes, strict);
      } catch (e) {
        strictError = e;
      }
      const b = decodeTrace(bytes, tolerant);
      if (strictError === undefined) expect(b, v.name).toEqual(a);
      else {
        expect(codeOf(strictError), v.name).toBe('MALFORMED');
        expect(JSON.stringify(b), v.name).toContain('"dateTimeForm":"data-tagged"');
      }
    }
  });
});
