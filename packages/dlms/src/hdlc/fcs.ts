/**
 * The HDLC frame check sequence of IEC 62056-46 (§ 5.4.1.3): CRC-16/X.25 (also called CRC-16/IBM-SDLC),
 * generator x^16 + x^12 + x^5 + 1 processed least significant bit first (reflected polynomial 0x8408),
 * initial value 0xFFFF, final ones' complement (xor 0xFFFF). The same CRC serves as the header check
 * sequence (HCS). On the wire the 16-bit result is sent **least significant byte first**.
 *
 * Check value: `fcs16("123456789") = 0x906E`.
 *
 * @module
 */

function makeTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[i] = c;
  }
  return t;
}

/** 256-entry table for the byte-at-a-time reflected CRC (computed once, never mutated). */
const TABLE: Uint16Array = /* @__PURE__ */ makeTable();

/**
 * CRC-16/X.25 of `bytes[start..end)`, as a number (apply the complement already done). Write it
 * little-endian: `low byte, high byte`.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function fcs16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  const t = TABLE;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return crc ^ 0xffff;
}
