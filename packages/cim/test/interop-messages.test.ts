/**
 * Real IEC 61968-100 / 61968-9 messages from other implementations (`conformance-vectors/cim/interop-messages.json`,
 * sources in the file and in docs/cim-interop.md), through both XML parsers:
 * - each decodes to the JSON form written by hand from the message's own text, or is refused with the
 *   typed error (code and path) its schema violation calls for;
 * - the wrapping (SOAP envelope, operation element, typed per-noun wrapper) is reported;
 * - where the message is a bare envelope, libxml2 (xmllint-wasm) validates it against the Ed.1 Message.xsd
 *   and its profile against the 2011 profile XSD, with the outcome the vector records (so a message we
 *   accept that the schema refuses is visible, and vice versa);
 * - what we write back for it (toXml) reads back to the same model and validates against the same schemas:
 *   the other side would accept our version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors, type Vector } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { isCimError } from '../src/errors.ts';
import { fromJsonValue, toJsonValue } from '../src/json/index.ts';
import { keptElements, PROFILES } from '../src/profiles/index.ts';
import {
  fromXml,
  fromXmlWithEdition,
  profileFromXml,
  profileToXml,
  toXml,
  type XmlReadOptions,
} from '../src/xml/index.ts';

const FAMILY = 'cim/interop-messages';
const PARSERS = ['fast-xml-parser', 'builtin'] as const;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const XSD_ROOT = process.env.AMI_XSD_DIR ?? '/work/shared/reference/xsd';
const MESSAGE_XSD = join(XSD_ROOT, 'iec61968-100-ed1-fdis-2012/Message.xsd');
const DRAFT = join(XSD_ROOT, 'openwms-61968-9-draft-2011/xsd');
const haveSchemas = existsSync(MESSAGE_XSD) && existsSync(join(DRAFT, 'MeterReadings.xsd'));
if (!haveSchemas) {
  console.warn(
    `\n!!! interop XSD checks SKIPPED: reference schemas not found under ${XSD_ROOT} (set AMI_XSD_DIR) !!!\n`,
  );
}

interface Params {
  /** Read options the vector is decoded with (e.g. `unknownElements: 'keep'`). */
  read?: XmlReadOptions;
  path?: (string | number)[];
  wrapping?: Record<string, unknown>;
  xsd?: { envelope?: 'valid' | 'invalid'; profile?: { element: string; valid: boolean } };
}
const params = (v: Vector) => (v.params ?? {}) as Params;
const vectors = loadVectors(FAMILY).vectors;

async function schemaErrors(schemaFile: string, doc: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'doc.xml', contents: doc }],
    schema: { fileName: 'schema.xsd', contents: readFileSync(schemaFile, 'utf8') },
  });
  return result.errors.map((e) => `${e.loc?.lineNumber ?? ''} ${e.message}`);
}

/**
 * The profile element of a bare message, cut out of the sender's own text as a standalone document: the
 * namespace declarations of the root start tag are copied onto it (XML Namespaces: they are in scope there).
 */
function profileSlice(text: string, element: string): string {
  const open = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?${element})[\\s>/]`).exec(text);
  if (!open) throw new Error(`no ${element} start tag`);
  const qname = open[1]!;
  const close = text.lastIndexOf(`</${qname}>`);
  if (close < 0) throw new Error(`no ${qname} end tag`);
  let slice = text.slice(open.index, close + qname.length + 3);
  const rootTag = /<[A-Za-z_][^>]*>/.exec(text.replace(/^<\?xml[^>]*\?>/, ''))![0];
  const decls = rootTag.match(/\sxmlns(?::[\w.-]+)?="[^"]*"/g) ?? [];
  const own = slice.slice(0, slice.indexOf('>'));
  const add = decls.filter((d) => !own.includes(d.trim().split('=')[0]!)).join('');
  slice = `<${qname}${add}${slice.slice(qname.length + 1)}`;
  return slice;
}

for (const parser of PARSERS) {
  describe(`parser: ${parser}`, () => {
    runConformance(FAMILY, {
      decode(bytes, v) {
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          return fromXml('<', { parser });
        }
        return toJsonValue(fromXml(text, { ...params(v).read, parser }));
      },
      errorCode: (e) => (isCimError(e) ? e.code : undefined),
      errorOffset: (e) => (isCimError(e) ? e.offset : undefined),
      incompleteCode: 'MALFORMED_XML',
    });

    for (const v of vectors.filter((x) => x.error && params(x).path)) {
      it(`${v.name}: refused at ${params(v).path!.join('.')}`, () => {
        let err: unknown;
        try {
          fromXml(v.text!, { ...params(v).read, parser });
        } catch (e) {
          err = e;
        }
        expect(isCimError(err) && err.path).toEqual(params(v).path);
      });
    }

    for (const v of vectors.filter((x) => !x.error)) {
      it(`${v.name}: wrapping reported`, () => {
        const { wrapping } = fromXmlWithEdition(v.text!, { ...params(v).read, parser });
        if (params(v).wrapping) expect(wrapping).toMatchObject(params(v).wrapping!);
        else expect(wrapping).toBeUndefined();
      });
    }
  });
}

describe('what we write for each interop message', () => {
  for (const v of vectors.filter((x) => !x.error)) {
    it(`${v.name}: toXml reads back to the same model`, () => {
      const read = params(v).read;
      const m = fromJsonValue(v.decoded);
      expect(toJsonValue(fromXml(toXml(m), read))).toEqual(v.decoded);
      expect(toJsonValue(fromXml(toXml(m, { pretty: true }), { ...read, parser: 'builtin' }))).toEqual(
        v.decoded,
      );
    });
  }

  it('by default, elements outside the profiles are kept ($any) and written back; "skip" drops them', () => {
    const v = vectors.find((x) => x.name === 'iran-hes-end-device-control-set-clock')!;
    const skipped = toJsonValue(fromXml(v.text!, { unknownElements: 'skip' })) as {
      RequestMessage: { Payload: unknown };
    };
    expect(JSON.stringify(skipped)).not.toContain('EndDeviceAction');
    const kept = fromXml(v.text!);
    const control = (kept as { Payload: { EndDeviceControls: { EndDeviceControl: object[] } } }).Payload
      .EndDeviceControls.EndDeviceControl[0]!;
    expect(keptElements(control).map((e) => e.local)).toEqual(['EndDeviceAction']);
    expect(toXml(kept)).toContain(
      '<ext:EndDeviceAction xmlns:ext="http://iec.ch/TC57/2011/EndDeviceControls#"><ext:command>2020-11-15 12:34:31</ext:command></ext:EndDeviceAction>',
    );
  });
});

describe.skipIf(!haveSchemas)('XSD checks (libxml2) of the interop messages and of our rewrite', () => {
  for (const v of vectors.filter((x) => params(x).xsd)) {
    const xsd = params(v).xsd!;
    if (xsd.envelope) {
      it(`${v.name}: the sender's envelope is ${xsd.envelope} per the Ed.1 Message.xsd`, async () => {
        const errors = await schemaErrors(MESSAGE_XSD, v.text!);
        if (xsd.envelope === 'valid') expect(errors).toEqual([]);
        else expect(errors.length).toBeGreaterThan(0);
      });
    }
    const profile = xsd.profile;
    if (profile) {
      const desc = PROFILES.find((p) => p.element === profile.element && p.xsd);
      it(`${v.name}: the sender's ${profile.element} is ${profile.valid ? 'valid' : 'invalid'} per ${desc?.xsd}`, async () => {
        const slice = profileSlice(v.text!, profile.element);
        const errors = await schemaErrors(join(DRAFT, desc!.xsd!), slice);
        if (profile.valid) expect(errors).toEqual([]);
        else expect(errors.length).toBeGreaterThan(0);
        // The cut-out profile also reads on its own, with both parsers, to the payload the message gave.
        {
          const expected = (Object.values(v.decoded as object)[0] as { Payload: Record<string, unknown> })
            .Payload[profile.element];
          for (const parser of PARSERS) {
            const value = profileFromXml(slice, { ...params(v).read, parser }) as Record<string, unknown>;
            expect(
              toJsonValue({
                kind: 'EventMessage',
                Header: { Verb: 'created', Noun: profile.element },
                Payload: value,
              } as never),
            ).toEqual({
              EventMessage: {
                Header: { Verb: 'created', Noun: profile.element },
                Payload: { [profile.element]: expected },
              },
            });
          }
        }
      });
    }
  }

  for (const v of vectors.filter((x) => !x.error)) {
    it(`${v.name}: our rewrite validates (envelope and schema-covered profiles)`, async () => {
      const m = fromJsonValue(v.decoded) as { Payload?: Record<string, unknown> };
      expect(await schemaErrors(MESSAGE_XSD, toXml(fromJsonValue(v.decoded)))).toEqual([]);
      // A profile the sender's own text already breaks (recorded in the vector) cannot validate rewritten.
      const broken = params(v).xsd?.profile?.valid === false ? params(v).xsd!.profile!.element : undefined;
      for (const p of PROFILES.filter(
        (d) => d.xsd && d.element !== broken && m.Payload?.[d.element] !== undefined,
      )) {
        const errors = await schemaErrors(
          join(DRAFT, p.xsd!),
          profileToXml(p.element as never, m.Payload![p.element]),
        );
        expect(errors, `${v.name}: ${p.element}`).toEqual([]);
      }
    });
  }
});
