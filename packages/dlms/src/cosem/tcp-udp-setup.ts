/**
 * Interface class **TCP-UDP setup** (class_id 41, version 0), IEC 62056-6-2 §4.9.1: the wrapper port and
 * TCP parameters of an IP interface (0.0.25.0.0.255). IS 15959 field practice: port 4059.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 TCP-UDP_port | long-unsigned | default 4059 (the DLMS/COSEM port) |
 * | 3 IP_reference | octet-string | logical name of the IPv4/IPv6 setup object below it |
 * | 4 MSS | long-unsigned | maximum segment size, 40..65535 (default 576) |
 * | 5 nb_of_sim_conn | unsigned | simultaneous connections |
 * | 6 inactivity_time_out | long-unsigned | seconds, 0 = none (default 180) |
 *
 * No methods. An MSS below 40 is refused on SET (`other-reason`).
 *
 * @module
 */
import { type Obis, obis } from '../obis/index.ts';
import { logicalName, longUnsigned, unsigned } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';

export interface TcpUdpSetupAttributes {
  tcpUdpPort: number;
  ipReference: Obis;
  mss: number;
  nbOfSimConn: number;
  inactivityTimeOut: number;
}

export const TCP_UDP_SETUP_CLASS = /* @__PURE__ */ defineClass<TcpUdpSetupAttributes>({
  classId: 41,
  version: 0,
  name: 'TCP-UDP setup',
  attributes: {
    tcpUdpPort: { id: 2, name: 'TCP-UDP_port', codec: longUnsigned, access: 'read-and-write' },
    ipReference: { id: 3, name: 'IP_reference', codec: logicalName, access: 'read-and-write' },
    mss: { id: 4, name: 'MSS', codec: longUnsigned, access: 'read-and-write' },
    nbOfSimConn: { id: 5, name: 'nb_of_sim_conn', codec: unsigned, access: 'read-and-write' },
    inactivityTimeOut: { id: 6, name: 'inactivity_time_out', codec: longUnsigned, access: 'read-and-write' },
  },
});

/** The first TCP-UDP setup object, 0.0.25.0.0.255. */
export const TCP_UDP_SETUP_LN: Obis = /* @__PURE__ */ obis(0, 0, 25, 0, 0, 255);

export class TcpUdpSetupObject extends CosemServerObject<TcpUdpSetupAttributes> {
  constructor(logicalName: Obis | string = TCP_UDP_SETUP_LN, values: Partial<TcpUdpSetupAttributes> = {}) {
    super(TCP_UDP_SETUP_CLASS, logicalName, {
      tcpUdpPort: 4059,
      ipReference: obis(0, 0, 25, 1, 0, 255),
      mss: 576,
      nbOfSimConn: 1,
      inactivityTimeOut: 180,
      ...values,
    });
  }

  protected override write<K extends keyof TcpUdpSetupAttributes & string>(
    key: K,
    value: TcpUdpSetupAttributes[K],
    ctx: CosemContext,
  ): void {
    if (key === 'mss' && (value as number) < 40) throw outOfRange('MSS', `${value} is below 40`);
    super.write(key, value, ctx);
  }
}
