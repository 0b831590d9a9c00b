/**
 * Every XML we produce validates against the reference schemas (xmllint-wasm, libxml2):
 * - the envelope against the Ed.1 FDIS `Message.xsd` (its Payload/Request `xs:any` is lax/skip);
 * - each profile element, written on its own, against its 2011 draft profile XSD (`MeterReadings.xsd`, …).
 * The draft `*Message.xsd` wrappers import the draft "www." envelope namespace, so they cannot validate an
 * Ed.1 envelope; validating the two layers separately is the faithful check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors } from '@ami-interop/conformance-vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { Message } from '../src/envelope/index.ts';
import { fromJsonValue } from '../src/json/index.ts';
import { PROFILES } from '../src/profiles/index.ts';
import { validateMessage } from '../src/validate/index.ts';
import { profileToXml, toXml } from '../src/xml/index.ts';
import { complexArb, messageArb } from './xml-arbitraries.ts';

const XSD_ROOT = process.env.AMI_XSD_DIR ?? '/work/shared/reference/xsd';
const MESSAGE_XSD = join(XSD_ROOT, 'iec61968-100-ed1-fdis-2012/Message.xsd');
const DRAFT = join(XSD_ROOT, 'openwms-61968-9-draft-2011/xsd');
const haveSchemas = existsSync(MESSAGE_XSD) && existsSync(join(DRAFT, 'MeterReadings.xsd'));
if (!haveSchemas) {
  console.warn(
    `\n!!! XSD validation SKIPPED: reference schemas not found under ${XSD_ROOT} (set AMI_XSD_DIR) !!!\n`,
  );
}

async function validate(schemaFile: string, docs: string[]): Promise<string[]> {
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
    schema: { fileName: 'schema.xsd', contents: readFileSync(schemaFile, 'utf8') },
  });
  return result.errors.map((e) => `${e.loc?.fileName ?? ''}:${e.loc?.lineNumber ?? ''} ${e.message}`);
}

describe.skipIf(!haveSchemas)('XSD validation of what we write', () => {
  it('envelopes of every kind validate against the Ed.1 FDIS Message.xsd', async () => {
    const msgs = fc.sample(messageArb({ xsdSafe: true }), { numRuns: 60, seed: 42 });
    const docs = msgs.map((m) => toXml(m as Message, { pretty: true }));
    const errors = await validate(MESSAGE_XSD, docs);
    expect(errors).toEqual([]);
  });

  it('a message with a wrong field order is caught by the schema (the check can fail)', async () => {
    const bad =
      '<msg:RequestMessage xmlns:msg="http://iec.ch/TC57/2011/schema/message"><msg:Header><msg:Noun>X</msg:Noun><msg:Verb>get</msg:Verb></msg:Header></msg:RequestMessage>';
    expect((await validate(MESSAGE_XSD, [bad])).length).toBeGreaterThan(0);
  });

  it('the canonical Ed.1 conformance vectors validate (envelope and each payload profile)', async () => {
    const vectors = loadVectors('cim/messages').vectors.filter(
      (v) => !v.error && v.encode !== false && v.text?.includes('"http://iec.ch/TC57/2011/schema/message"'),
    );
    expect(vectors.length).toBeGreaterThan(5);
    expect(
      await validate(
        MESSAGE_XSD,
        vectors.map((v) => v.text!),
      ),
    ).toEqual([]);
    for (const v of vectors) {
      const m = fromJsonValue(v.decoded) as Message & { Payload?: Record<string, unknown> };
      for (const p of PROFILES.filter((d) => d.xsd && m.Payload?.[d.element] !== undefined)) {
        const errors = await validate(join(DRAFT, p.xsd!), [
          profileToXml(p.element as never, m.Payload![p.element]),
        ]);
        expect(errors, `${v.name}: ${p.element}`).toEqual([]);
      }
    }
  });

  for (const p of PROFILES.filter((d) => d.xsd)) {
    it(`${p.element} payloads validate against the 2011 draft ${p.xsd}`, async () => {
      const values = fc.sample(complexArb(p.type, { xsdSafe: true }, 2), { numRuns: 60, seed: 7 });
      const docs = values.map((v) => profileToXml(p.element as never, v, { pretty: true }));
      const errors = await validate(join(DRAFT, p.xsd!), docs);
      expect(errors).toEqual([]);
      // …and the typed validator agrees they are well-formed models.
      for (const v of values) {
        const m: Message = {
          kind: 'EventMessage',
          Header: { Verb: 'created', Noun: p.noun },
          Payload: { [p.element]: v },
        };
        expect(validateMessage(m)).toEqual([]);
      }
    });
  }
});
