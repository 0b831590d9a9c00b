/**
 * The configuration and service nouns: MeterConfig, EndDeviceConfig, UsagePointConfig, MasterDataLinkageConfig
 * and MeterServiceRequests. Round trips over generated models (XML and JSON), the typed model, validator paths,
 * and hand-built real-world-shaped messages that must parse.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { MESSAGE_NS_DRAFT_2011, type Message } from '../src/envelope/index.ts';
import { isCimError } from '../src/errors.ts';
import { fromJson, toJson } from '../src/json/index.ts';
import {
  type ComFunction,
  type ConfigMeter,
  type ConfigUsagePoint,
  type DraftHeader,
  keptElements,
  type MasterDataLinkageConfig,
  type MeterConfig,
  type MeterServiceRequests,
  type MeterServiceWork,
  type PayloadProfiles,
  PROFILES,
  profileByElement,
} from '../src/profiles/index.ts';
import { validateMessage, validateProfile } from '../src/validate/index.ts';
import { fromXml, profileFromXml, profileToXml, toXml } from '../src/xml/index.ts';
import { builderToString, toXmlBuilder } from '../src/xml-builder/index.ts';
import { complexArb } from './xml-arbitraries.ts';

const NEW = [
  'MeterConfig',
  'EndDeviceConfig',
  'UsagePointConfig',
  'MasterDataLinkageConfig',
  'MeterServiceRequests',
] as const;
const defs = NEW.map((n) => profileByElement(n, 'payload')!);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isCimError(e)) return e.code;
    throw e;
  }
  return undefined;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A message carrying one generated profile value, for each new profile. */
const messageWith = fc.constantFrom(...defs).chain((p) =>
  fc
    .tuple(complexArb(p.type), fc.constantFrom('EventMessage', 'RequestMessage', 'ResponseMessage'))
    .map(([v, kind]): Message => {
      const Header = {
        Verb: kind === 'EventMessage' ? 'created' : kind === 'ResponseMessage' ? 'reply' : 'create',
        Noun: p.noun,
      } as const;
      if (kind === 'ResponseMessage')
        return { kind, Header, Reply: { Result: 'OK' }, Payload: { [p.element]: v } } as Message;
      return { kind, Header, Payload: { [p.element]: v } } as Message;
    }),
);

describe('config profiles: registration and model', () => {
  it('are registered as payload profiles in their 2011 namespaces', () => {
    for (const n of NEW) {
      const p = profileByElement(n);
      expect(p, n).toMatchObject({
        element: n,
        noun: n,
        slot: 'payload',
        extension: false,
        namespace: `http://iec.ch/TC57/2011/${n}#`,
      });
    }
    expect(PROFILES.filter((p) => (NEW as readonly string[]).includes(p.element))).toHaveLength(5);
  });

  it('model types are inferred from the descriptors', () => {
    expectTypeOf<PayloadProfiles['MeterConfig']>().toEqualTypeOf<MeterConfig | undefined>();
    expectTypeOf<ConfigMeter['serialNumber']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConfigMeter['ComFunction']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<ConfigMeter['ConfigurationEvents']>().not.toBeAny();
    expectTypeOf<NonNullable<ConfigMeter['EndDeviceInfo']>['phaseCount']>().toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf<ComFunction['technology']>().toEqualTypeOf<
      | 'cellular'
      | 'ethernet'
      | 'homePlug'
      | 'pager'
      | 'phone'
      | 'plc'
      | 'rf'
      | 'rfMesh'
      | 'zigbee'
      | undefined
    >();
    expectTypeOf<ConfigUsagePoint['servicePriority']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<ConfigUsagePoint['ServiceCategory']>['kind']>().toEqualTypeOf<
      | 'electricity'
      | 'gas'
      | 'heat'
      | 'internet'
      | 'other'
      | 'rates'
      | 'refuse'
      | 'sewerage'
      | 'time'
      | 'tvLicence'
      | 'water'
      | undefined
    >();
    expectTypeOf<MasterDataLinkageConfig['ConfigurationEvent']>().not.toBeAny();
    expectTypeOf<MeterServiceRequests['Header']>().toEqualTypeOf<DraftHeader>();
    expectTypeOf<MeterServiceWork['Meter']>().not.toEqualTypeOf<undefined>();
    expectTypeOf<DraftHeader['Verb']>().toExtend<string>();
  });
});

describe('config profiles: round trips over generated models', () => {
  it('fromXml(toXml(m)) = m and XML → model → XML is stable, any prefixes', () => {
    fc.assert(
      fc.property(
        messageWith,
        fc.boolean(),
        fc.constantFrom(['msg', 'm'], ['', 'm'], ['ns2', 'ns3'], ['a', ''], ['msg', 'dmsg']),
        (m, pretty, [messagePrefix, profilePrefix]) => {
          const xml = toXml(m, { pretty, messagePrefix, profilePrefix });
          const back = fromXml(xml);
          expect(back).toEqual(m);
          expect(toXml(back, { pretty, messagePrefix, profilePrefix })).toBe(xml);
          expect(fromXml(xml, { parser: 'builtin' })).toEqual(m);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fromJson(toJson(m)) = m and JSON → model → JSON is stable', () => {
    fc.assert(
      fc.property(messageWith, (m) => {
        const json = toJson(m);
        const back = fromJson(json);
        expect(back).toEqual(m);
        expect(toJson(back)).toBe(json);
        expect(fromJson(toJson(fromXml(toXml(m))))).toEqual(m);
      }),
      { numRuns: 150 },
    );
  });

  it('bare profile documents round-trip (profileToXml / profileFromXml)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...defs).chain((p) => complexArb(p.type).map((v) => [p, v] as const)),
        ([p, v]) => {
          const xml = profileToXml(p.element as keyof PayloadProfiles, v, { pretty: true });
          expect(profileFromXml(xml)).toEqual({ [p.element]: v });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the xmlbuilder2 writer gives the same text, including the embedded draft Header declaration', () => {
    fc.assert(
      fc.property(messageWith, fc.boolean(), (m, pretty) => {
        let built: string;
        try {
          built = builderToString(toXmlBuilder(m, { pretty }), { pretty });
        } catch (e) {
          expect(isCimError(e, 'INVALID_ARGUMENT')).toBe(true);
          return;
        }
        expect(built).toBe(toXml(m, { pretty }));
      }),
      { numRuns: 100 },
    );
  });

  it('generated models are valid for the typed validator', () => {
    fc.assert(
      fc.property(messageWith, (m) => {
        expect(validateMessage(m)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

const minimalMsr: MeterServiceRequests = {
  Header: { Verb: 'create', Noun: 'MeterServiceRequests' },
  MeterServiceWork: [{ kind: 'meter', Meter: { mRID: 'MTR-1' } }],
};

describe('MeterServiceRequests: the embedded draft Header', () => {
  it('is written in the draft message namespace, declared on the Header element', () => {
    const xml = profileToXml('MeterServiceRequests', minimalMsr);
    expect(xml).toContain(
      `<m:Header xmlns:dmsg="${MESSAGE_NS_DRAFT_2011}"><dmsg:Verb>create</dmsg:Verb><dmsg:Noun>MeterServiceRequests</dmsg:Noun></m:Header>`,
    );
    // A profile prefix equal to the Header's preferred prefix does not capture the Header element.
    const clash = profileToXml('MeterServiceRequests', minimalMsr, { profilePrefix: 'dmsg' });
    expect(clash).toContain(`<dmsg:Header xmlns:dmsg1="${MESSAGE_NS_DRAFT_2011}"><dmsg1:Verb>`);
    expect(profileFromXml(clash)).toEqual({ MeterServiceRequests: minimalMsr });
  });

  it('Header children in the profile namespace, or an Ed.1 header, are not the draft header', () => {
    const ns = 'http://iec.ch/TC57/2011/MeterServiceRequests#';
    const wrong = `<m:MeterServiceRequests xmlns:m="${ns}"><m:Header><m:Verb>create</m:Verb><m:Noun>MeterServiceRequests</m:Noun></m:Header><m:MeterServiceWork><m:Meter/></m:MeterServiceWork></m:MeterServiceRequests>`;
    const e = caught(() => profileFromXml(wrong));
    expect(isCimError(e, 'MISSING_FIELD') && e.path).toEqual(['Header', 'Verb']);
    const ed1 = wrong
      .replace('<m:Header>', '<m:Header xmlns:e="http://iec.ch/TC57/2011/schema/message">')
      .replace(/m:(Verb|Noun)>/g, 'e:$1>');
    expect(code(() => profileFromXml(ed1))).toBe('MISSING_FIELD');
  });

  it('uses the draft verb and noun lists', () => {
    const show = { ...minimalMsr, Header: { Verb: 'show' as const, Noun: 'MeterServiceRequests' as const } };
    expect(
      fromXml(
        toXml({
          kind: 'EventMessage',
          Header: { Verb: 'created', Noun: 'MeterServiceRequests' },
          Payload: { MeterServiceRequests: show },
        }),
      ),
    ).toMatchObject({
      Payload: { MeterServiceRequests: { Header: { Verb: 'show' } } },
    });
    const bad = profileToXml('MeterServiceRequests', minimalMsr).replace('>create<', '>publish<');
    expect(code(() => profileFromXml(bad))).toBe('INVALID_VALUE');
  });
});

describe('validator paths for missing mandatory fields', () => {
  it('reports each missing mandatory field with its path', () => {
    const m = {
      kind: 'RequestMessage',
      Header: { Verb: 'create', Noun: 'MeterServiceRequests' },
      Payload: {
        MeterServiceRequests: {
          MeterServiceWork: [
            {
              ActivityRecords: [{ reason: 'x' }],
              Customers: [{ status: { reason: 'moved' } }],
              Meter: {
                MeterMultipliers: [{ kind: 'ctRatio' }],
                MeterReadings: [{ Readings: [{ value: '1.0' }] }],
              },
            },
            { kind: 'repair' },
          ],
          ReadingType: [{ mRID: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0', Names: [] }],
        },
      },
    } as unknown as Message;
    const w = 'Payload.MeterServiceRequests';
    expect(validateMessage(m).map((v) => `${v.code} ${v.path}`)).toEqual([
      `MISSING_FIELD ${w}.Header`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].ActivityRecords[0].createdDateTime`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].ActivityRecords[0].type`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].Customers[0].status.value`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].Meter.MeterMultipliers[0].value`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].Meter.MeterReadings[0].Readings[0].timeStamp`,
      `MISSING_FIELD ${w}.MeterServiceWork[0].Meter.MeterReadings[0].Readings[0].ReadingType`,
      `MISSING_FIELD ${w}.MeterServiceWork[1].Meter`,
      `MISSING_FIELD ${w}.ReadingType[0].Names`,
    ]);
  });

  it('config profiles: ReadingType.Names, MetrologyRequirement.ReadingTypes, bad codes and enumerations', () => {
    expect(
      validateProfile('UsagePointConfig', {
        ReadingType: [{ mRID: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72' }],
        UsagePoint: [
          {
            mRID: 'UP-1',
            phaseCode: 'RYB',
            MetrologyRequirements: [{ reason: 'billing' }],
            ServiceCategory: { kind: 'power' },
          },
        ],
      }).map((v) => `${v.code} ${v.path}`),
    ).toEqual([
      'INVALID_VALUE UsagePointConfig.ReadingType[0].mRID',
      'MISSING_FIELD UsagePointConfig.ReadingType[0].Names',
      'INVALID_VALUE UsagePointConfig.UsagePoint[0].phaseCode',
      'MISSING_FIELD UsagePointConfig.UsagePoint[0].MetrologyRequirements[0].ReadingTypes',
      'INVALID_VALUE UsagePointConfig.UsagePoint[0].ServiceCategory.kind',
    ]);
    expect(
      validateProfile('MeterConfig', {
        Meter: [{ mRID: 'M1', isVirtual: 'no', ComFunction: 'CF1', EndDeviceInfo: { phaseCount: 3.5 } }],
        ComFunction: [{ technology: 'wifi' }],
      }).map((v) => `${v.code} ${v.path}`),
    ).toEqual([
      'INVALID_VALUE MeterConfig.ComFunction[0].technology',
      'INVALID_VALUE MeterConfig.Meter[0].isVirtual',
      'INVALID_VALUE MeterConfig.Meter[0].ComFunction',
      'INVALID_VALUE MeterConfig.Meter[0].EndDeviceInfo.phaseCount',
    ]);
  });

  it('the reader refuses a missing mandatory field with its element path', () => {
    const xml = toXml({
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'MeterServiceRequests' },
      Payload: { MeterServiceRequests: minimalMsr },
    }).replace(/<m:Meter>.*<\/m:Meter>|<m:Meter\/>/, '');
    const e = caught(() => fromXml(xml));
    expect(isCimError(e, 'MISSING_FIELD') && e.path).toEqual([
      'Payload',
      'MeterServiceRequests',
      'MeterServiceWork',
      0,
      'Meter',
    ]);
  });

  it('the noun must match the payload', () => {
    const m: Message = {
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'MeterConfig' },
      Payload: { UsagePointConfig: { UsagePoint: [{ mRID: 'UP-1' }] } },
    };
    expect(validateMessage(m).map((v) => v.path)).toEqual(['Payload.UsagePointConfig']);
  });
});

describe('real-world-shaped messages (hand-built)', () => {
  it('a MeterConfig with JAXB-style prefixes, reordered elements and vendor extensions parses to the model', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ns2:CreatedMeterConfig xmlns:ns2="urn:ignored-wrapper">
</ns2:CreatedMeterConfig>`;
    expect(code(() => fromXml(xml))).toBe('WRONG_NAMESPACE');
    const text = `<EventMessage xmlns="http://iec.ch/TC57/2011/schema/message" xmlns:ns3="http://iec.ch/TC57/2011/MeterConfig#" xmlns:cas="http://connexo.elster.com/2017/schema/customattributes">
  <Header><Noun>MeterConfig</Noun><Verb>created</Verb><Source>MDMS</Source></Header>
  <Payload>
    <ns3:MeterConfig>
      <ns3:Meter>
        <ns3:serialNumber>SN-77</ns3:serialNumber>
        <ns3:Names><ns3:name>77</ns3:name><ns3:NameType><ns3:name>MeterNumber</ns3:name></ns3:NameType></ns3:Names>
        <ns3:mRID>MTR-77</ns3:mRID>
        <!-- function references may interleave (a repeated xs:choice) -->
        <ns3:SimpleEndDeviceFunction ref="SEDF-1"/>
        <ns3:ComFunction ref="CF-1"/>
        <ns3:SimpleEndDeviceFunction ref="SEDF-2"/>
        <ns3:MeterCustomAttributeSet><cas:id>x</cas:id></ns3:MeterCustomAttributeSet>
        <cas:Vendor>ignored</cas:Vendor>
        <ns3:EndDeviceInfo><ns3:AssetModel><ns3:Manufacturer><ns3:Names><ns3:name>ACME</ns3:name></ns3:Names></ns3:Manufacturer><ns3:modelNumber>X1</ns3:modelNumber></ns3:AssetModel></ns3:EndDeviceInfo>
        <ns3:status><ns3:value>installed</ns3:value></ns3:status>
        <ns3:amrSystem>HES-A</ns3:amrSystem>
      </ns3:Meter>
      <ns3:ComFunction><ns3:mRID>CF-1</ns3:mRID><ns3:amrAddress>10.0.0.7</ns3:amrAddress><ns3:twoWay>1</ns3:twoWay></ns3:ComFunction>
    </ns3:MeterConfig>
  </Payload>
</EventMessage>`;
    const expected: Message = {
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'MeterConfig', Source: 'MDMS' },
      Payload: {
        MeterConfig: {
          ComFunction: [{ mRID: 'CF-1', amrAddress: '10.0.0.7', twoWay: true }],
          Meter: [
            {
              mRID: 'MTR-77',
              amrSystem: 'HES-A',
              serialNumber: 'SN-77',
              ComFunction: ['CF-1'],
              SimpleEndDeviceFunction: ['SEDF-1', 'SEDF-2'],
              EndDeviceInfo: {
                AssetModel: { modelNumber: 'X1', Manufacturer: { Names: [{ name: 'ACME' }] } },
              },
              Names: [{ name: '77', NameType: { name: 'MeterNumber' } }],
              status: { value: 'installed' },
            },
          ],
        },
      },
    };
    for (const parser of ['fast-xml-parser', 'builtin'] as const) {
      const got = fromXml(text, { parser, unknownElements: 'skip' });
      expect(got).toEqual(expected);
      // Key order is the schema order, whatever the sender's order.
      expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
      // By default the two elements the profile does not know are kept, as read, not dropped.
      const meter = (fromXml(text, { parser }) as typeof expected).Payload!.MeterConfig as {
        Meter: object[];
      };
      expect(keptElements(meter.Meter[0]!).map((e) => `{${e.ns}}${e.local}`)).toEqual([
        '{http://iec.ch/TC57/2011/MeterConfig#}MeterCustomAttributeSet',
        '{http://connexo.elster.com/2017/schema/customattributes}Vendor',
      ]);
    }
    expect(validateMessage(expected)).toEqual([]);
  });
});
