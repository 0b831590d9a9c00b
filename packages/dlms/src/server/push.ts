/**
 * Push (IEC 62056-6-2 Push setup, class 40; IS 15959 push association, client SAP 64): the server sends a
 * data-notification, unsolicited, whose body is the structure of the values of the push setup's
 * `push_object_list`:
 *
 * ```asn1
 * Data-Notification ::= SEQUENCE {
 *   long-invoke-id-and-priority  Long-Invoke-Id-And-Priority,
 *   date-time                    OCTET STRING,           -- empty, or a 12-octet date-time
 *   notification-body            Notification-Body       -- data-value Data
 * }
 * push_object_definition ::= structure { class_id long-unsigned, logical_name octet-string,
 *                                        attribute_index integer, data_index long-unsigned }
 * ```
 *
 * Each push object's attribute is read from the server's objects directly (the meter pushing its own data,
 * so association access rights do not apply); `data_index` n ≥ 1 takes the n-th element of an array or
 * structure value. A missing object or a refused read gives `null-data` in its place.
 *
 * Ciphering: data-notification has no service-specific glo-/ded- tag (IEC 62056-5-3 lists none), so a
 * protected push is general-glo-ciphering (`DB`, default) or general-ded-ciphering (`DC`), carrying the
 * server system title.
 *
 * @module
 */
import type { CosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import type { CaptureObjectDefinition } from '../cosem/common.ts';
import type { CosemContext, CosemObjectLookup } from '../cosem/object.ts';

/**
 * What `push` needs of a Push setup: a `PushSetupObject` (class 40, whose `body(ctx)` reads its
 * push_object_list), or just the list of push objects.
 */
export type PushSetupLike =
  | { body(ctx: CosemContext): Data }
  | { readonly objectList: readonly CaptureObjectDefinition[] };

/** Options of `DlmsServer.push`. */
export interface PushOptions {
  /** Protect with these keys and policy (default: plain). */
  security?: {
    policy: 'auth' | 'enc' | 'auth+enc';
    ek: Uint8Array;
    ak?: Uint8Array;
    /** Dedicated key, for `general-ded`. */
    dk?: Uint8Array;
    /** Default `general-glo`. */
    kind?: 'general-glo' | 'general-ded';
    /** Counter-store slot for the server's sent counter (default `push`). */
    keyId?: string;
  };
  /** The notification's date-time (default: none, an empty octet string). */
  dateTime?: CosemDateTime;
}

/** The notification body: one value per push object, as a structure. */
export function pushBody(setup: PushSetupLike, objects: CosemObjectLookup, ctx: CosemContext): Data {
  if ('body' in setup && typeof setup.body === 'function') return setup.body(ctx);
  const values: Data[] = [];
  for (const def of (setup as { objectList: readonly CaptureObjectDefinition[] }).objectList) {
    let v: Data = { type: 'null-data' };
    try {
      const o = objects.find(def.classId, def.logicalName);
      if (o !== undefined) {
        v = o.get(def.attributeIndex, ctx);
        if (def.dataIndex > 0) {
          v =
            (v.type === 'array' || v.type === 'structure') && def.dataIndex <= v.value.length
              ? v.value[def.dataIndex - 1]!
              : { type: 'null-data' };
        }
      }
    } catch {
      v = { type: 'null-data' };
    }
    values.push(v);
  }
  return { type: 'structure', value: values };
}
