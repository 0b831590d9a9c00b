import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Header, Payload, Request } from '../src/envelope/index.ts';
import {
  type EndDeviceControl,
  type EndDeviceEvent,
  EXTENSION_NAMESPACE_PREFIX,
  type GetMeterReadings,
  type IntervalReading,
  type MeterReading,
  PROFILES,
  profileByElement,
  type ReadingTypeInfo,
} from '../src/profiles/index.ts';

describe('profiles', () => {
  it('model types are inferred from the descriptors', () => {
    expectTypeOf<MeterReading['IntervalBlocks']>().toEqualTypeOf<
      | {
          IntervalReadings?: IntervalReading[];
          PendingCalculation?: NonNullable<MeterReading['IntervalBlocks']>[number]['PendingCalculation'];
          ReadingType: string;
        }[]
      | undefined
    >();
    expectTypeOf<IntervalReading['value']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ReadingTypeInfo['tou']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<EndDeviceEvent['createdDateTime']>().toEqualTypeOf<string>();
    expectTypeOf<EndDeviceControl['EndDeviceControlType']>().toEqualTypeOf<string>();
    expectTypeOf<Header['Verb']>().toEqualTypeOf<
      | 'cancel'
      | 'canceled'
      | 'change'
      | 'changed'
      | 'create'
      | 'created'
      | 'close'
      | 'closed'
      | 'delete'
      | 'deleted'
      | 'get'
      | 'reply'
      | 'execute'
      | 'executed'
    >();
    expectTypeOf<Header['AsyncReplyFlag']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Request['GetMeterReadings']>().toEqualTypeOf<GetMeterReadings | undefined>();
    expectTypeOf<Payload['MeterReadings']>().not.toBeAny();
  });

  it('standard profiles use the 2011 noun namespaces; extensions are ours and marked', () => {
    for (const p of PROFILES) {
      if (p.extension) expect(p.namespace.startsWith(EXTENSION_NAMESPACE_PREFIX)).toBe(true);
      else expect(p.namespace).toBe(`http://iec.ch/TC57/2011/${p.element}#`);
    }
    expect(PROFILES.filter((p) => p.extension).map((p) => p.element)).toEqual([
      'EndDeviceKeyChanges',
      'FirmwareUpgrades',
      'NetworkOptimisations',
    ]);
  });

  it('Get profiles go in Request and name the noun they query', () => {
    expect(profileByElement('GetMeterReadings')).toMatchObject({ slot: 'request', noun: 'MeterReadings' });
    expect(profileByElement('GetMeterReadings', 'payload')).toBeUndefined();
    expect(profileByElement('MeterReadings', 'request')).toBeUndefined();
  });
});
