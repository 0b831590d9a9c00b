/**
 * A planted bug for the engine's self-test: a decoder that crashes with an untyped error only when the
 * input starts with the four bytes `F U Z Z`, checked one byte at a time (each comparison is its own
 * block, so coverage guidance can climb the ladder; blind mutation needs ~2^32 tries).
 */
export class PlantedError extends Error {
  readonly code = 'MALFORMED';
}

export function plantedDecoder(input: Uint8Array): void {
  if (input.length < 4) throw new PlantedError('short');
  if (input[0] === 0x46) {
    if (input[1] === 0x55) {
      if (input[2] === 0x5a) {
        if (input[3] === 0x5a) {
          // The bug: an untyped error.
          throw new TypeError('planted bug reached');
        }
        return;
      }
      return;
    }
    return;
  }
  throw new PlantedError('bad magic');
}
