/**
 * The client side of the IEC 62056-21 sign-on that switches an optical probe into mode E (HDLC),
 * as a pure state machine (Annex E, "Mode E"):
 *
 * ```text
 * client                                   meter
 *   ── /?[address]!CR LF  (300 Bd, 7E1) ──▶
 *   ◀── /XXXZ\2ident CR LF ───────────────   (\2: binary mode (HDLC) available; Z: highest baud rate)
 *   ── ACK 2 Z 2 CR LF ───────────────────▶   (protocol control 2 = HDLC, mode control 2 = binary)
 *   both switch to Z's baud rate, 8N1; HDLC frames follow (the client sends SNRM)
 * ```
 *
 * The state machine does no I/O: it returns the bytes to write and the {@link SerialLineSettings} to
 * switch to, and the serial transport applies them (after the acknowledgement has been transmitted).
 * Optical heads often echo what they send; an exact echo of the request is skipped.
 *
 * States: `idle` → `await-identification` → `done` | `failed`.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import {
  baudRateOf,
  decodeIdentificationMessage,
  encodeAckMessage,
  encodeRequestMessage,
  type IdentificationMessage,
  MODE_E_INITIAL_LINE,
  modeEAck,
  modeEHdlcLine,
  type SerialLineSettings,
  supportsModeE,
} from './messages.ts';

/** @since 0.1.0 @category Optical */
export type ModeEState = 'idle' | 'await-identification' | 'done' | 'failed';

/** @since 0.1.0 @category Optical */
export interface ModeEOptions {
  /** Device address for the request (`/?address!`); the general request when absent. */
  address?: string;
  /** Highest baud rate the client wants (default 19200); the lower of this and the meter's is used. */
  maxBaud?: number;
}

/** @since 0.1.0 @category Optical */
export type ModeEStep =
  | { kind: 'send'; bytes: Uint8Array; line: SerialLineSettings }
  | { kind: 'wait' }
  | {
      kind: 'switch';
      /** The acknowledgement to send at the current line settings. */
      bytes: Uint8Array;
      /** The settings to switch to once it is sent. */
      line: SerialLineSettings;
      identification: IdentificationMessage;
    }
  | { kind: 'failed'; error: DlmsError };

/** Longest identification line: / XXX Z, up to a few \W, 16 characters, CR LF. */
const MAX_LINE = 64;

/** @since 0.1.0 @category Optical */
export class ModeESignOn {
  #state: ModeEState = 'idle';
  readonly #request: Uint8Array;
  readonly #maxBaud: number;
  #line = new Uint8Array(MAX_LINE);
  #len = 0;

  constructor(options: ModeEOptions = {}) {
    this.#request = encodeRequestMessage(options.address === undefined ? {} : { address: options.address });
    this.#maxBaud = options.maxBaud ?? 19200;
  }

  get state(): ModeEState {
    return this.#state;
  }

  /** The request to send at 300 Bd 7E1. */
  start(): ModeEStep & { kind: 'send' } {
    this.#state = 'await-identification';
    this.#len = 0;
    return { kind: 'send', bytes: this.#request.slice(), line: { ...MODE_E_INITIAL_LINE } };
  }

  /** Feeds received bytes (any chunking). */
  onBytes(chunk: Uint8Array): ModeEStep {
    if (this.#state !== 'await-identification')
      return this.#fail(new DlmsError('PROTOCOL_ERROR', `mode E sign-on is ${this.#state}`));
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]! & 0x7f; // 7-bit characters (the parity bit may come through)
      if (this.#len === 0 && b !== 0x2f) continue; // wait for "/"
      if (this.#len === MAX_LINE)
        return this.#fail(new DlmsError('LIMIT_EXCEEDED', `identification longer than ${MAX_LINE} bytes`));
      this.#line[this.#len++] = b;
      if (b !== 0x0a) continue;
      const line = this.#line.subarray(0, this.#len);
      this.#len = 0;
      if (line.length === this.#request.length && line.every((x, k) => x === this.#request[k])) continue; // echo
      let id: IdentificationMessage;
      try {
        id = decodeIdentificationMessage(line);
      } catch (e) {
        if (e instanceof DlmsError) return this.#fail(e);
        throw e;
      }
      if (!supportsModeE(id))
        return this.#fail(
          new DlmsError('UNSUPPORTED', `meter ${id.manufacturer} does not announce mode E (\\2)`),
        );
      const offered = baudRateOf(id.baudChar);
      if (offered === undefined)
        return this.#fail(
          new DlmsError(
            'UNSUPPORTED',
            `baud-rate character ${JSON.stringify(id.baudChar)} is not a mode E rate`,
          ),
        );
      let char = id.baudChar;
      let baud = offered;
      while (baud > this.#maxBaud && char > '0') {
        char = String.fromCharCode(char.charCodeAt(0) - 1);
        baud = baudRateOf(char)!;
      }
      this.#state = 'done';
      return {
        kind: 'switch',
        bytes: encodeAckMessage(modeEAck(char)),
        line: modeEHdlcLine(baud),
        identification: id,
      };
    }
    return { kind: 'wait' };
  }

  #fail(error: DlmsError): ModeEStep {
    this.#state = 'failed';
    return { kind: 'failed', error };
  }
}
