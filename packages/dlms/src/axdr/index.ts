/**
 * `@ami-interop/dlms/axdr`: the DLMS/COSEM `Data` type (IEC 62056-6-2) in A-XDR, its typed JSON form, and
 * COSEM date-time.
 *
 * ```ts
 * import { fromHex } from '@ami-interop/dlms';
 * import { dataToJson, decodeData, encodeData } from '@ami-interop/dlms/axdr';
 * const d = decodeData(fromHex('12 00E6')); // { type: 'long-unsigned', value: 230 }
 * dataToJson(d); // the same, JSON-safe
 * encodeData(d); // 12 00 E6
 * ```
 *
 * - {@link readData} / {@link writeData} work on a `Reader` / `Writer` for embedding in APDUs;
 *   {@link decodeData} / {@link encodeData} take and give whole byte arrays.
 * - {@link dataToJson} / {@link dataFromJson}: the stable typed JSON form.
 * - {@link DataLimits}: `maxDepth` and `maxElements` against hostile input (`LIMIT_EXCEEDED`).
 *
 * @module
 */
export { bitStringFromBits, bitStringGet, bitStringToBits } from './bitstring.ts';
export {
  dateTimeAsOctetString,
  decodeData,
  encodeData,
  minSize,
  octetStringAsDateTime,
  readData,
  readTypeDescription,
  writeData,
  writeTypeDescription,
} from './codec.ts';
export {
  type ClockStatus,
  type CosemDate,
  type CosemDateTime,
  type CosemTime,
  clockStatusFromByte,
  clockStatusToByte,
  cosemDateTimeFromDate,
  cosemDateTimeToDate,
  cosemDateTimeToIso,
  decodeCosemDateTime,
  type IsoOptions,
  readCosemDate,
  readCosemDateTime,
  readCosemTime,
  tryCosemDateTimeToIso,
  writeCosemDate,
  writeCosemDateTime,
  writeCosemTime,
} from './datetime.ts';
export {
  type CosemDateJson,
  type CosemDateTimeJson,
  type CosemTimeJson,
  cosemDateTimeFromJson,
  cosemDateTimeToJson,
  type DataJson,
  dataFromJson,
  dataToJson,
  type FloatJson,
} from './json.ts';
export {
  type BitString,
  DATA_TAGS,
  type Data,
  type DataLimits,
  type DataOf,
  type DataType,
  DEFAULT_DATA_LIMITS,
  dataTypeOfTag,
  type SimpleDataType,
  type TypeDescription,
} from './types.ts';
