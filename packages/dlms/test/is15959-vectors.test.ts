import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { apduFromJson, apduToJson, decodeXdlmsApdu, encodeXdlmsApdu } from '../src/apdu/index.ts';
import { type Data, dataFromJson, dataToJson, decodeData, encodeData } from '../src/axdr/index.ts';
import {
  type CaptureObjectDefinition,
  captureObjectDefinition,
  cosemValueToJson,
  keyTransferData,
  type ScalerUnit,
  scalerUnit,
  sendDestinationAndMethod,
  unitSymbol,
} from '../src/cosem/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { decodePush, profileRows } from '../src/is15959/index.ts';
import { parseObis } from '../src/obis/index.ts';
import { protectApdu, unprotectApdu, unwrapKey, wrapKey } from '../src/security/index.ts';

const errorCode = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const errorOffset = (e: unknown): number | undefined => (isDlmsError(e) ? e.offset : undefined);
type P = Record<string, unknown>;

runConformance('dlms/is15959-encodings', {
  decode(bytes, v) {
    const d = decodeData(bytes);
    const p = (v.params ?? {}) as P;
    let value: unknown;
    switch (p['kind']) {
      case 'capture-object':
        value = cosemValueToJson(captureObjectDefinition.decode(d));
        break;
      case 'scaler-unit': {
        const su = scalerUnit.decode(d);
        value = { ...su, symbol: unitSymbol(su.unit) };
        break;
      }
      case 'push-destination': {
        const x = sendDestinationAndMethod.decode(d);
        value = { ...x, destination: new TextDecoder().decode(x.destination) };
        break;
      }
      case 'key-transfer': {
        const kek = fromHex(p['kek'] as string);
        value = keyTransferData.decode(d).map((k) => ({
          keyId: k.keyId,
          keyWrapped: toHex(k.keyWrapped),
          key: toHex(unwrapKey(kek, k.keyWrapped)),
        }));
        break;
      }
      default:
        throw new Error(`unknown kind ${String(p['kind'])}`);
    }
    return { data: dataToJson(d), value };
  },
  // Encodes from the typed value (not from the Data), so the codecs' encoders are what is checked.
  encode(decoded, v) {
    const p = (v.params ?? {}) as P;
    const value = (decoded as { value: never }).value as P & P[];
    switch (p['kind']) {
      case 'capture-object':
        return encodeData(
          captureObjectDefinition.encode({
            ...(value as unknown as CaptureObjectDefinition),
            logicalName: parseObis(value['logicalName'] as string),
          }),
        );
      case 'scaler-unit':
        return encodeData(
          scalerUnit.encode({ scaler: value['scaler'] as number, unit: value['unit'] as number }),
        );
      case 'push-destination':
        return encodeData(
          sendDestinationAndMethod.encode({
            transportService: value['transportService'] as number,
            destination: new TextEncoder().encode(value['destination'] as string),
            message: value['message'] as number,
          }),
        );
      default: {
        // key-transfer: wrap the plain key again (RFC 3394 is deterministic).
        const kek = fromHex(p['kek'] as string);
        const items = (value as unknown as { keyId: 0 | 1 | 2 | 3; key: string }[]).map((k) => ({
          keyId: k.keyId,
          keyWrapped: wrapKey(kek, fromHex(k.key)),
        }));
        return encodeData(keyTransferData.encode(items));
      }
    }
  },
  errorCode,
  errorOffset,
});

function captureObjectsOf(list: string[]): CaptureObjectDefinition[] {
  return list.map((s) => {
    const [c, o, a] = s.split('/');
    return { classId: Number(c), logicalName: parseObis(o!), attributeIndex: Number(a), dataIndex: 0 };
  });
}

function scalersOf(m: Record<string, [number, number]> | undefined): Record<string, ScalerUnit> {
  const out: Record<string, ScalerUnit> = {};
  for (const [k, [scaler, unit]] of Object.entries(m ?? {})) out[k] = { scaler, unit };
  return out;
}

runConformance('dlms/is15959-rows', {
  decode(bytes, v) {
    const p = (v.params ?? {}) as P;
    const d = decodeData(bytes);
    const rows = profileRows({
      captureObjects: captureObjectsOf(p['captureObjects'] as string[]),
      buffer: d,
      scalerUnits: scalersOf(p['scalerUnits'] as Record<string, [number, number]>),
    });
    return { data: dataToJson(d), rows };
  },
  encode(decoded) {
    return encodeData(dataFromJson((decoded as { data: unknown }).data) as Data);
  },
  errorCode,
  errorOffset,
});

runConformance('dlms/is15959-push', {
  decode(bytes, v) {
    const p = (v.params ?? {}) as P;
    const keys = p['ek'] ? { ek: fromHex(p['ek'] as string), ak: fromHex(p['ak'] as string) } : undefined;
    const r = decodePush(bytes, {
      keys,
      scalerUnits: scalersOf(p['scalerUnits'] as Record<string, [number, number]>),
    });
    const plain = keys ? unprotectApdu(bytes, keys).plain : bytes;
    return {
      apdu: apduToJson(decodeXdlmsApdu(plain)),
      reading: {
        pushSetup: r.pushSetup,
        profile: r.profile,
        deviceId: r.deviceId,
        timestamp: r.timestamp,
        rows: r.rows,
        esw: r.esw?.set ?? null,
        security: r.security ?? null,
      },
    };
  },
  encode(decoded, v) {
    const p = (v.params ?? {}) as P;
    const plain = encodeXdlmsApdu(apduFromJson((decoded as { apdu: unknown }).apdu));
    if (!p['ek']) return plain;
    return protectApdu(plain, {
      policy: 'auth+enc',
      kind: 'general-glo',
      ek: fromHex(p['ek'] as string),
      ak: fromHex(p['ak'] as string),
      systemTitle: fromHex(p['systemTitle'] as string),
      invocationCounter: p['invocationCounter'] as number,
    });
  },
  errorCode,
  errorOffset,
});
