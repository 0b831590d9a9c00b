/**
 * MeterServiceRequests payloads we write validate against the 2011 draft `MeterServiceRequests.xsd`
 * (xmllint-wasm, libxml2), with the draft `Message.xsd` it imports for its embedded Header preloaded.
 * The config nouns (MeterConfig, …) have no XSD in the reference set, so they are not schema-validated here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors } from '@ami-interop/conformance-vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { Message } from '../src/envelope/index.ts';
import { fromJsonValue } from '../src/json/index.ts';
import { MeterServiceRequestsType } from '../src/profiles/index.ts';
import { validateMessage } from '../src/validate/index.ts';
import { profileToXml } from '../src/xml/index.ts';
import { complexArb } from './xml-arbitraries.ts';

const XSD_ROOT = process.env.AMI_XSD_DIR ?? '/work/shared/reference/xsd';
const DRAFT = join(XSD_ROOT, 'openwms-61968-9-draft-2011/xsd');
const MSR_XSD = join(DRAFT, 'MeterServiceRequests.xsd');
const haveSchemas = existsSync(MSR_XSD) && existsSync(join(DRAFT, 'Message.xsd'));
if (!haveSchemas) {
  console.warn(
    `\n!!! MeterServiceRequests XSD validation SKIPPED: ${MSR_XSD} or its Message.xsd not found (set AMI_XSD_DIR) !!!\n`,
  );
}

async function validate(docs: string[]): Promise<string[]> {
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
    schema: { fileName: 'MeterServiceRequests.xsd', contents: readFileSync(MSR_XSD, 'utf8') },
    preload: [{ fileName: 'Message.xsd', contents: readFileSync(join(DRAFT, 'Message.xsd'), 'utf8') }],
  });
  return result.errors.map((e) => `${e.loc?.fileName ?? ''}:${e.loc?.lineNumber ?? ''} ${e.message}`);
}

describe.skipIf(!haveSchemas)('MeterServiceRequests against the 2011 draft XSD', () => {
  it('generated payloads validate, compact and pretty, with any profile prefix', async () => {
    const values = fc.sample(complexArb(MeterServiceRequestsType, { xsdSafe: true }, 2), {
      numRuns: 80,
      seed: 11,
    });
    const prefixes = ['m', '', 'dmsg', 'ns3'];
    const docs = values.map((v, i) =>
      profileToXml('MeterServiceRequests', v, { pretty: i % 2 === 0, profilePrefix: prefixes[i % 4]! }),
    );
    expect(await validate(docs)).toEqual([]);
    for (const v of values) {
      const m: Message = {
        kind: 'EventMessage',
        Header: { Verb: 'created', Noun: 'MeterServiceRequests' },
        Payload: { MeterServiceRequests: v as never },
      };
      expect(validateMessage(m)).toEqual([]);
    }
  });

  it('the hand-built vectors validate', async () => {
    const vectors = loadVectors('cim/messages-config').vectors.filter(
      (v) => !v.error && v.text?.includes('MeterServiceRequests#'),
    );
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const m = fromJsonValue(v.decoded) as Message & { Payload?: { MeterServiceRequests?: unknown } };
      expect(
        await validate([profileToXml('MeterServiceRequests', m.Payload!.MeterServiceRequests)]),
        v.name,
      ).toEqual([]);
    }
  });

  it('the schema catches what we must get right (the check can fail)', async () => {
    const ok = profileToXml('MeterServiceRequests', {
      Header: { Verb: 'create', Noun: 'MeterServiceRequests' },
      MeterServiceWork: [{ Meter: { mRID: 'M1' } }],
    });
    expect(await validate([ok])).toEqual([]);
    const headerInProfileNs = ok.replace(/ xmlns:dmsg="[^"]*"/, '').replace(/dmsg:/g, 'm:');
    const noHeader = ok.replace(/<m:Header.*<\/m:Header>/, '');
    const wrongOrder = ok.replace(
      /(<m:Header.*<\/m:Header>)(<m:MeterServiceWork>.*<\/m:MeterServiceWork>)/,
      '$2$1',
    );
    for (const bad of [headerInProfileNs, noHeader, wrongOrder]) {
      expect(bad).not.toBe(ok);
      expect((await validate([bad])).length, bad).toBeGreaterThan(0);
    }
  });
});
