/**
 * Interface class **Push setup** (class_id 40, version 0), IEC 62056-6-2 §4.4.8: what a meter pushes
 * unsolicited (a Data-Notification), where, and when. IS 15959: instantaneous 0.0.25.9.0.255, alerts
 * 0.4.25.9.0.255.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 push_object_list | array of object_definition | static: the values pushed, in order |
 * | 3 send_destination_and_method | structure { transport_service enum, destination octet-string, message enum } | static |
 * | 4 communication_window | array of window_element | static: empty = push at any time |
 * | 5 randomisation_start_interval | long-unsigned | seconds |
 * | 6 number_of_retries | unsigned | |
 * | 7 repetition_delay | long-unsigned | seconds |
 *
 * ```text
 * object_definition ::= structure { class_id long-unsigned, logical_name octet-string,
 *                                   attribute_index integer, data_index long-unsigned }
 * transport_service: 0 TCP, 1 UDP, 2 FTP, 3 SMTP, 4 SMS, 5 HDLC, 6 M-Bus, 7 ZigBee, 200..255 manufacturer
 * message: 0 A-XDR encoded xDLMS APDU, 1 XML encoded xDLMS APDU, 128..255 manufacturer specific
 * window_element ::= structure { start_time octet-string (date-time), end_time octet-string (date-time) }
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 push | integer (0) | sends the push_object_list values now |
 *
 * IS 15959 sample (attribute 3): `02 03 16 00 09 <len> "[ipv6]:4059" 16 00` (TCP, A-XDR).
 *
 * **Server.** `push` builds the notification body, a `structure` of the pushed values in list order,
 * each read from `ctx.objects` as the meter (attribute `attribute_index`; `data_index` n ≥ 1 takes the
 * n-th element of an array/structure; a missing or refusing object gives `null-data`), encodes it in
 * A-XDR and hands both to the `send` callback the server supplies, with the destination and retry
 * settings. Windows, randomisation and retries are the transport's business: {@link
 * PushSetupObject.windowOpen} tells whether `now` falls in a communication window. Without a `send`
 * callback the method is refused (`other-reason`); a callback that throws is `temporary-failure`.
 *
 * @module
 */
import { encodeData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { toInstant } from './clock.ts';
import {
  arrayOf,
  type DateTimeValue,
  dateTime,
  enumeration,
  longUnsigned,
  octetString,
  struct,
  unsigned,
} from './codec.ts';
import { type CaptureObjectDefinition, captureObjectDefinition } from './common.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { actionError, CosemServiceError } from './results.ts';

export interface SendDestinationAndMethod {
  transportService: number;
  destination: Uint8Array;
  message: number;
}

export interface CommunicationWindow {
  startTime: DateTimeValue;
  endTime: DateTimeValue;
}

export interface PushSetupAttributes {
  pushObjectList: CaptureObjectDefinition[];
  sendDestinationAndMethod: SendDestinationAndMethod;
  communicationWindow: CommunicationWindow[];
  randomisationStartInterval: number;
  numberOfRetries: number;
  repetitionDelay: number;
}

export interface PushSetupMethods {
  push: undefined;
}

export const sendDestinationAndMethod = /* @__PURE__ */ struct({
  transportService: enumeration,
  destination: octetString,
  message: enumeration,
});

export const communicationWindow = /* @__PURE__ */ struct({ startTime: dateTime, endTime: dateTime });

export const PUSH_SETUP_CLASS = /* @__PURE__ */ defineClass<PushSetupAttributes, PushSetupMethods>({
  classId: 40,
  version: 0,
  name: 'Push setup',
  attributes: {
    pushObjectList: {
      id: 2,
      name: 'push_object_list',
      codec: arrayOf(captureObjectDefinition),
      access: 'read-only',
    },
    sendDestinationAndMethod: {
      id: 3,
      name: 'send_destination_and_method',
      codec: sendDestinationAndMethod,
      access: 'read-and-write',
    },
    communicationWindow: {
      id: 4,
      name: 'communication_window',
      codec: arrayOf(communicationWindow),
      access: 'read-and-write',
    },
    randomisationStartInterval: {
      id: 5,
      name: 'randomisation_start_interval',
      codec: longUnsigned,
      access: 'read-and-write',
    },
    numberOfRetries: { id: 6, name: 'number_of_retries', codec: unsigned, access: 'read-and-write' },
    repetitionDelay: { id: 7, name: 'repetition_delay', codec: longUnsigned, access: 'read-and-write' },
  },
  methods: { push: { id: 1, name: 'push', params: undefined, access: 'access' } },
});

/** What the `send` callback receives for one push. */
export interface PushMessage {
  /** The push setup that pushed. */
  pushSetup: Obis;
  /** The notification body: a structure of the pushed values, in push_object_list order. */
  body: Data;
  /** `body` in A-XDR (the Data-Notification's notification-body). */
  encoded: Uint8Array;
  destination: SendDestinationAndMethod;
  randomisationStartInterval: number;
  numberOfRetries: number;
  repetitionDelay: number;
  /** The instant of the push (`ctx.now()`). */
  at: Date;
}

export interface PushSetupInit {
  pushObjectList: CaptureObjectDefinition[];
  sendDestinationAndMethod: SendDestinationAndMethod;
  communicationWindow?: CommunicationWindow[];
  randomisationStartInterval?: number;
  numberOfRetries?: number;
  repetitionDelay?: number;
  /** Sends one push (the server's transport). */
  send?: (message: PushMessage, ctx: CosemContext) => void;
}

export class PushSetupObject extends CosemServerObject<PushSetupAttributes, PushSetupMethods> {
  send: PushSetupInit['send'];

  constructor(logicalName: Obis | string, init: PushSetupInit) {
    super(PUSH_SETUP_CLASS, logicalName, {
      pushObjectList: init.pushObjectList,
      sendDestinationAndMethod: init.sendDestinationAndMethod,
      communicationWindow: init.communicationWindow ?? [],
      randomisationStartInterval: init.randomisationStartInterval ?? 0,
      numberOfRetries: init.numberOfRetries ?? 0,
      repetitionDelay: init.repetitionDelay ?? 0,
    });
    this.send = init.send;
  }

  /** The notification body for a push now (see the module doc). */
  body(ctx: CosemContext): Data {
    return {
      type: 'structure',
      value: this.values.pushObjectList.map((c) => this.#value(c, ctx)),
    };
  }

  /**
   * True when `ctx.now()` is inside a communication window (or there are none). Window bounds must be
   * complete date-times (a missing deviation counts as 0); a window that is not is ignored.
   */
  windowOpen(ctx: CosemContext): boolean {
    const w = this.values.communicationWindow;
    if (w.length === 0) return true;
    const t = ctx.now().getTime();
    return w.some((x) => {
      const s = toInstant(x.startTime, 0)?.getTime();
      const e = toInstant(x.endTime, 0)?.getTime();
      return s !== undefined && e !== undefined && t >= s && t <= e;
    });
  }

  /** Builds and sends one push (as method 1 does). */
  push(ctx: CosemContext): PushMessage {
    const send = this.send;
    if (!send) throw actionError('other-reason', 'push: this server has no push transport');
    const body = this.body(ctx);
    const v = this.values;
    const message: PushMessage = {
      pushSetup: this.logicalName,
      body,
      encoded: encodeData(body),
      destination: v.sendDestinationAndMethod,
      randomisationStartInterval: v.randomisationStartInterval,
      numberOfRetries: v.numberOfRetries,
      repetitionDelay: v.repetitionDelay,
      at: ctx.now(),
    };
    try {
      send(message, ctx);
    } catch (e) {
      throw actionError('temporary-failure', `push: sending failed: ${(e as Error)?.message ?? e}`, e);
    }
    return message;
  }

  protected override invoke(_key: 'push', _p: undefined, ctx: CosemContext): Data | undefined {
    this.push(ctx);
    return undefined;
  }

  #value(c: CaptureObjectDefinition, ctx: CosemContext): Data {
    const o = ctx.objects?.find(c.classId, c.logicalName);
    if (!o) return { type: 'null-data' };
    let d: Data;
    try {
      d = o.get(c.attributeIndex, ctx);
    } catch (e) {
      if (e instanceof CosemServiceError) return { type: 'null-data' };
      throw e;
    }
    if (c.dataIndex === 0) return d;
    if ((d.type === 'array' || d.type === 'structure') && c.dataIndex <= d.value.length) {
      return d.value[c.dataIndex - 1]!;
    }
    return { type: 'null-data' };
  }
}
