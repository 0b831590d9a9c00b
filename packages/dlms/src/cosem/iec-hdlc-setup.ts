/**
 * Interface class **IEC HDLC setup** (class_id 23, version 1), IEC 62056-6-2 §4.7.2: the HDLC link
 * parameters of a port (0.0.22.0.0.255 for the first). IS 15959 field practice: 9600 baud, window 1,
 * inactivity time-out 20 s (see the project reference).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 comm_speed | enum | 0 300, 1 600, 2 1200, 3 2400, 4 4800, 5 9600, 6 19200, 7 38400, 8 57600, 9 115200 baud |
 * | 3 window_size_transmit | unsigned | 1..7 |
 * | 4 window_size_receive | unsigned | 1..7 |
 * | 5 max_info_field_length_transmit | long-unsigned | 32..2030 (version 1) |
 * | 6 max_info_field_length_receive | long-unsigned | 32..2030 |
 * | 7 inter_octet_time_out | long-unsigned | milliseconds, 20..6000 |
 * | 8 inactivity_time_out | long-unsigned | seconds, 0 = none |
 * | 9 device_address | long-unsigned | the server's HDLC address: 0x0001 … 0x3FFD |
 *
 * No methods.
 *
 * **Server.** Values outside those ranges are refused on SET (`other-reason`); the object only holds the
 * parameters — the HDLC layer (`/hdlc`) reads them when it negotiates.
 *
 * @module
 */
import type { Obis } from '../obis/index.ts';
import { obis } from '../obis/index.ts';
import { enumOf, longUnsigned, unsigned } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';

export type CommSpeed = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** Baud rate of each comm_speed value. */
export const COMM_SPEED_BAUD: readonly number[] = Object.freeze([
  300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200,
]);

export interface IecHdlcSetupAttributes {
  commSpeed: CommSpeed;
  windowSizeTransmit: number;
  windowSizeReceive: number;
  maxInfoFieldLengthTransmit: number;
  maxInfoFieldLengthReceive: number;
  interOctetTimeOut: number;
  inactivityTimeOut: number;
  deviceAddress: number;
}

export const IEC_HDLC_SETUP_CLASS = /* @__PURE__ */ defineClass<IecHdlcSetupAttributes>({
  classId: 23,
  version: 1,
  name: 'IEC HDLC setup',
  attributes: {
    commSpeed: {
      id: 2,
      name: 'comm_speed',
      codec: enumOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'comm_speed'),
      access: 'read-and-write',
    },
    windowSizeTransmit: { id: 3, name: 'window_size_transmit', codec: unsigned, access: 'read-and-write' },
    windowSizeReceive: { id: 4, name: 'window_size_receive', codec: unsigned, access: 'read-and-write' },
    maxInfoFieldLengthTransmit: {
      id: 5,
      name: 'max_info_field_length_transmit',
      codec: longUnsigned,
      access: 'read-and-write',
    },
    maxInfoFieldLengthReceive: {
      id: 6,
      name: 'max_info_field_length_receive',
      codec: longUnsigned,
      access: 'read-and-write',
    },
    interOctetTimeOut: { id: 7, name: 'inter_octet_time_out', codec: longUnsigned, access: 'read-and-write' },
    inactivityTimeOut: { id: 8, name: 'inactivity_time_out', codec: longUnsigned, access: 'read-and-write' },
    deviceAddress: { id: 9, name: 'device_address', codec: longUnsigned, access: 'read-and-write' },
  },
});

/** The first HDLC setup object, 0.0.22.0.0.255. */
export const IEC_HDLC_SETUP_LN: Obis = /* @__PURE__ */ obis(0, 0, 22, 0, 0, 255);

const RANGES: Partial<Record<keyof IecHdlcSetupAttributes, readonly [number, number, string]>> = {
  windowSizeTransmit: [1, 7, 'window_size_transmit'],
  windowSizeReceive: [1, 7, 'window_size_receive'],
  maxInfoFieldLengthTransmit: [32, 2030, 'max_info_field_length_transmit'],
  maxInfoFieldLengthReceive: [32, 2030, 'max_info_field_length_receive'],
  interOctetTimeOut: [20, 6000, 'inter_octet_time_out'],
  deviceAddress: [0x0001, 0x3ffd, 'device_address'],
};

/** The defaults of IEC 62056-46 (9600 baud, window 1, 128-byte information fields, 25 ms, 120 s). */
export const IEC_HDLC_SETUP_DEFAULTS: Readonly<IecHdlcSetupAttributes> = Object.freeze({
  commSpeed: 5,
  windowSizeTransmit: 1,
  windowSizeReceive: 1,
  maxInfoFieldLengthTransmit: 128,
  maxInfoFieldLengthReceive: 128,
  interOctetTimeOut: 25,
  inactivityTimeOut: 120,
  deviceAddress: 0x10,
});

export class IecHdlcSetupObject extends CosemServerObject<IecHdlcSetupAttributes> {
  constructor(logicalName: Obis | string = IEC_HDLC_SETUP_LN, values: Partial<IecHdlcSetupAttributes> = {}) {
    super(IEC_HDLC_SETUP_CLASS, logicalName, { ...IEC_HDLC_SETUP_DEFAULTS, ...values });
  }

  /** The baud rate of comm_speed. */
  get baud(): number {
    return COMM_SPEED_BAUD[this.values.commSpeed]!;
  }

  protected override write<K extends keyof IecHdlcSetupAttributes & string>(
    key: K,
    value: IecHdlcSetupAttributes[K],
    ctx: CosemContext,
  ): void {
    const r = RANGES[key];
    if (r && ((value as number) < r[0] || (value as number) > r[1]))
      throw outOfRange(r[2], `${value} is outside ${r[0]}..${r[1]}`);
    super.write(key, value, ctx);
  }
}
