/**
 * Interface class **Image transfer** (class_id 18, version 0), IEC 62056-6-2 §4.4.6: firmware upgrade
 * (IS 15959 0.0.44.0.0.255 over the Firmware Upgrade association).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 image_block_size | double-long-unsigned | static, bytes |
 * | 3 image_transferred_blocks_status | bit-string | dynamic: bit n set = block n received |
 * | 4 image_first_not_transferred_block_number | double-long-unsigned | dynamic |
 * | 5 image_transfer_enabled | boolean | |
 * | 6 image_transfer_status | enum | 0 not initiated, 1 initiated, 2 verification initiated, 3 verification successful, 4 verification failed, 5 activation initiated, 6 activation successful, 7 activation failed |
 * | 7 image_to_activate_info | array of structure { image_to_activate_size double-long-unsigned, image_to_activate_identification octet-string, image_to_activate_signature octet-string } | |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 image_transfer_initiate | structure { image_identifier octet-string, image_size double-long-unsigned } | |
 * | 2 image_block_transfer | structure { image_block_number double-long-unsigned, image_block_value octet-string } | |
 * | 3 image_verify | integer (0) | |
 * | 4 image_activate | integer (0) | |
 *
 * **Server behaviour.**
 * - Refused with `temporary-failure` while image_transfer_enabled is FALSE.
 * - `image_transfer_initiate` with the identifier and size of a transfer not yet activated (status 1–4)
 *   **resumes** it (the blocks already received stay); anything else starts afresh. A size above `maxImageSize` (default
 *   16 MiB) is `other-reason` before anything is allocated.
 * - Blocks may come in any order and more than once; each must be `image_block_size` bytes except the
 *   last, which is the remainder. A block number past the image or a block of the wrong length is
 *   `other-reason`.
 * - `image_verify` with blocks missing fails (status 4, `other-reason`); otherwise the pluggable
 *   verifier decides (status 3 or 4). `image_activate` verifies first when that has not been done, then
 *   calls the pluggable activator (status 6 or 7).
 *
 * @module
 */
import { bitStringFromBits } from '../axdr/bitstring.ts';
import type { BitString, Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { arrayOf, bitString, boolean, doubleLongUnsigned, enumOf, octetString, struct } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { accessError, actionError } from './results.ts';

export type ImageTransferStatus = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const IMAGE_TRANSFER_STATUS = Object.freeze({
  notInitiated: 0,
  initiated: 1,
  verificationInitiated: 2,
  verificationSuccessful: 3,
  verificationFailed: 4,
  activationInitiated: 5,
  activationSuccessful: 6,
  activationFailed: 7,
} as const);

export interface ImageToActivateInfo {
  size: number;
  identification: Uint8Array;
  signature: Uint8Array;
}

export interface ImageTransferAttributes {
  imageBlockSize: number;
  imageTransferredBlocksStatus: BitString;
  imageFirstNotTransferredBlockNumber: number;
  imageTransferEnabled: boolean;
  imageTransferStatus: ImageTransferStatus;
  imageToActivateInfo: ImageToActivateInfo[];
}

export interface ImageTransferMethods {
  imageTransferInitiate: { identifier: Uint8Array; size: number };
  imageBlockTransfer: { blockNumber: number; value: Uint8Array };
  imageVerify: undefined;
  imageActivate: undefined;
}

export const IMAGE_TRANSFER_CLASS = /* @__PURE__ */ defineClass<
  ImageTransferAttributes,
  ImageTransferMethods
>({
  classId: 18,
  version: 0,
  name: 'Image transfer',
  attributes: {
    imageBlockSize: { id: 2, name: 'image_block_size', codec: doubleLongUnsigned, access: 'read-only' },
    imageTransferredBlocksStatus: {
      id: 3,
      name: 'image_transferred_blocks_status',
      codec: bitString,
      access: 'read-only',
    },
    imageFirstNotTransferredBlockNumber: {
      id: 4,
      name: 'image_first_not_transferred_block_number',
      codec: doubleLongUnsigned,
      access: 'read-only',
    },
    imageTransferEnabled: { id: 5, name: 'image_transfer_enabled', codec: boolean, access: 'read-and-write' },
    imageTransferStatus: {
      id: 6,
      name: 'image_transfer_status',
      codec: enumOf([0, 1, 2, 3, 4, 5, 6, 7], 'image_transfer_status'),
      access: 'read-only',
    },
    imageToActivateInfo: {
      id: 7,
      name: 'image_to_activate_info',
      codec: arrayOf(
        struct({ size: doubleLongUnsigned, identification: octetString, signature: octetString }),
      ),
      access: 'read-only',
    },
  },
  methods: {
    imageTransferInitiate: {
      id: 1,
      name: 'image_transfer_initiate',
      params: struct({ identifier: octetString, size: doubleLongUnsigned }),
      access: 'authenticated-access',
    },
    imageBlockTransfer: {
      id: 2,
      name: 'image_block_transfer',
      params: struct({ blockNumber: doubleLongUnsigned, value: octetString }),
      access: 'authenticated-access',
    },
    imageVerify: { id: 3, name: 'image_verify', params: undefined, access: 'authenticated-access' },
    imageActivate: { id: 4, name: 'image_activate', params: undefined, access: 'authenticated-access' },
  },
});

export interface ImageTransferOptions {
  /** Bytes per block (IS 15959 meters: 200 or 256; default 256). */
  blockSize?: number;
  /** Largest image accepted by image_transfer_initiate (default 16 MiB). */
  maxImageSize?: number;
  /** Decides whether a complete image is valid (signature, checksum, model): default accepts any image. */
  verify?: (image: Uint8Array, identifier: Uint8Array) => boolean;
  /** Activates a verified image; false (or a throw) is activation failed. Default: success. */
  activate?: (image: Uint8Array, identifier: Uint8Array, ctx: CosemContext) => boolean;
}

export class ImageTransferObject extends CosemServerObject<ImageTransferAttributes, ImageTransferMethods> {
  readonly maxImageSize: number;
  readonly verifier: NonNullable<ImageTransferOptions['verify']>;
  readonly activator: NonNullable<ImageTransferOptions['activate']>;
  identifier: Uint8Array | undefined;
  image: Uint8Array | undefined;
  received: boolean[] = [];

  constructor(logicalName: Obis | string, options: ImageTransferOptions = {}) {
    super(IMAGE_TRANSFER_CLASS, logicalName, {
      imageBlockSize: options.blockSize ?? 256,
      imageTransferredBlocksStatus: { length: 0, bytes: new Uint8Array(0) },
      imageFirstNotTransferredBlockNumber: 0,
      imageTransferEnabled: true,
      imageTransferStatus: 0,
      imageToActivateInfo: [],
    });
    this.maxImageSize = options.maxImageSize ?? 16 * 1024 * 1024;
    this.verifier = options.verify ?? (() => true);
    this.activator = options.activate ?? (() => true);
  }

  get blockCount(): number {
    return this.image === undefined ? 0 : Math.ceil(this.image.length / this.values.imageBlockSize);
  }

  protected override read<K extends keyof ImageTransferAttributes & string>(key: K, ctx: CosemContext): Data {
    if (key === 'imageTransferredBlocksStatus')
      this.values.imageTransferredBlocksStatus = bitStringFromBits(this.received);
    if (key === 'imageFirstNotTransferredBlockNumber') {
      const i = this.received.indexOf(false);
      this.values.imageFirstNotTransferredBlockNumber = i < 0 ? this.received.length : i;
    }
    return super.read(key, ctx);
  }

  protected override write<K extends keyof ImageTransferAttributes & string>(
    key: K,
    value: ImageTransferAttributes[K],
    ctx: CosemContext,
  ): void {
    if (key !== 'imageTransferEnabled') throw accessError('set', 'read-write-denied', `${key} is read-only`);
    super.write(key, value, ctx);
  }

  protected override invoke<K extends keyof ImageTransferMethods & string>(
    key: K,
    params: ImageTransferMethods[K],
    ctx: CosemContext,
  ): Data | undefined {
    const v = this.values;
    if (!v.imageTransferEnabled) throw actionError('temporary-failure', 'image transfer is not enabled');
    switch (key) {
      case 'imageTransferInitiate': {
        const p = params as ImageTransferMethods['imageTransferInitiate'];
        if (p.size > this.maxImageSize)
          throw actionError('other-reason', `image of ${p.size} bytes exceeds ${this.maxImageSize}`);
        const resume =
          v.imageTransferStatus >= 1 &&
          v.imageTransferStatus <= 4 &&
          this.image?.length === p.size &&
          this.identifier !== undefined &&
          sameBytes(this.identifier, p.identifier);
        if (!resume) {
          this.identifier = p.identifier.slice();
          this.image = new Uint8Array(p.size);
          this.received = new Array<boolean>(Math.ceil(p.size / v.imageBlockSize)).fill(false);
          v.imageToActivateInfo = [];
        }
        v.imageTransferStatus = 1;
        return undefined;
      }
      case 'imageBlockTransfer': {
        const p = params as ImageTransferMethods['imageBlockTransfer'];
        if (v.imageTransferStatus !== 1 || !this.image)
          throw actionError('other-reason', 'no transfer initiated');
        const n = this.blockCount;
        if (p.blockNumber >= n)
          throw actionError('other-reason', `block ${p.blockNumber} is past the last block ${n - 1}`);
        const start = p.blockNumber * v.imageBlockSize;
        const len = Math.min(v.imageBlockSize, this.image.length - start);
        if (p.value.length !== len) {
          throw actionError(
            'other-reason',
            `block ${p.blockNumber} must be ${len} bytes, got ${p.value.length}`,
          );
        }
        this.image.set(p.value, start);
        this.received[p.blockNumber] = true;
        return undefined;
      }
      case 'imageVerify':
        this.#verify();
        return undefined;
      case 'imageActivate': {
        if (v.imageTransferStatus !== 3) this.#verify();
        v.imageTransferStatus = 5;
        let ok = false;
        try {
          ok = this.activator(this.image!, this.identifier!, ctx);
        } catch {
          ok = false;
        }
        v.imageTransferStatus = ok ? 6 : 7;
        if (!ok) throw actionError('other-reason', 'image activation failed');
        return undefined;
      }
    }
    return super.invoke(key, params, ctx);
  }

  #verify(): void {
    const v = this.values;
    if (!this.image || v.imageTransferStatus === 0) throw actionError('other-reason', 'no image transferred');
    v.imageTransferStatus = 2;
    const missing = this.received.indexOf(false);
    let ok = missing < 0;
    if (ok) {
      try {
        ok = this.verifier(this.image, this.identifier!);
      } catch {
        ok = false;
      }
    }
    v.imageTransferStatus = ok ? 3 : 4;
    if (!ok) {
      throw actionError(
        'other-reason',
        missing >= 0 ? `block ${missing} has not been transferred` : 'verification failed',
      );
    }
    v.imageToActivateInfo = [
      { size: this.image.length, identification: this.identifier!, signature: new Uint8Array(0) },
    ];
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
