import type { BenchCase } from '@ami-interop/bench';
import type { Message } from '../src/envelope/index.ts';
import type { MeterConfig } from '../src/profiles/index.ts';
import { validateMessage } from '../src/validate/index.ts';
import { fromXml, toXml } from '../src/xml/index.ts';

/** A MeterConfig of `n` meters, each with its communication function, relay and asset model (an onboarding batch). */
function meterConfig(n: number): Message {
  const cfg: Required<Pick<MeterConfig, 'ComFunction' | 'ConnectDisconnectFunction' | 'Meter'>> = {
    ComFunction: [],
    ConnectDisconnectFunction: [],
    Meter: [],
  };
  for (let i = 0; i < n; i++) {
    const id = String(10_000_000 + i);
    cfg.ComFunction.push({
      mRID: `CF-${id}`,
      amrAddress: `fd00::${i.toString(16)}`,
      enabled: true,
      technology: 'rfMesh',
    });
    cfg.ConnectDisconnectFunction.push({ mRID: `CDF-${id}`, isConnected: true });
    cfg.Meter.push({
      mRID: `MTR-${id}`,
      amrSystem: 'HES-1',
      serialNumber: id,
      ConfigurationEvents: { createdDateTime: '2024-04-01T09:00:00+05:30', reason: 'installation' },
      ComFunction: [`CF-${id}`],
      ConnectDisconnectFunction: [`CDF-${id}`],
      EndDeviceInfo: { AssetModel: { modelNumber: 'SP-1PH', Manufacturer: { Names: [{ name: 'ACME' }] } } },
      Names: [{ name: id, NameType: { name: 'MeterSerialNumber' } }],
      status: { value: 'installed' },
      UsagePoint: { mRID: `UP-${id}` },
    });
  }
  return {
    kind: 'RequestMessage',
    Header: { Verb: 'create', Noun: 'MeterConfig' },
    Payload: { MeterConfig: cfg },
  };
}

export function cases(): BenchCase[] {
  const n = 1000;
  const m = meterConfig(n);
  const xml = toXml(m);
  return [
    {
      group: 'cim/config',
      name: `toXml MeterConfig, ${n} meters (${Math.round(xml.length / 1024)} KiB)`,
      fn: () => toXml(m),
      items: n,
      itemName: 'meters',
    },
    {
      group: 'cim/config',
      name: `fromXml (fast-xml-parser) MeterConfig, ${n} meters`,
      fn: () => fromXml(xml, { parser: 'fast-xml-parser' }),
      items: n,
      itemName: 'meters',
    },
    {
      group: 'cim/config',
      name: `fromXml (builtin parser) MeterConfig, ${n} meters`,
      fn: () => fromXml(xml, { parser: 'builtin' }),
      items: n,
      itemName: 'meters',
    },
    {
      group: 'cim/config',
      name: `validateMessage MeterConfig, ${n} meters`,
      fn: () => validateMessage(m),
      items: n,
      itemName: 'meters',
    },
  ];
}
