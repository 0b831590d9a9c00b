/**
 * Firmware upgrade through Image transfer (class 18, IS 15959 0.0.44.0.0.255) over the Firmware Upgrade
 * association (client 80), IEC 62056-6-2 §4.4.6 "image transfer process":
 *
 * 1. image_transfer_enabled (attribute 5) must be TRUE (set it if not), read image_block_size (2);
 * 2. image_transfer_initiate (method 1) with `{ identifier, size }`;
 * 3. image_block_transfer (method 2) for every block not yet on the meter;
 * 4. image_verify (method 3); a meter still verifying answers `temporary-failure`, and we poll
 *    image_transfer_status (6) until 3 (verification successful) or 4 (failed);
 * 5. image_activate (method 4) now, or a schedule: the image activation single action schedule
 *    0.0.15.0.2.255 execution_time (attribute 4), or neither.
 *
 * **Resume after an interruption, without image_first_not_transferred_block_number.** Attribute 4 is
 * a single number and meters disagree on it (some report the first gap, some the count, some stop
 * updating it); IS 15959 deployments have been burned by it. We instead re-initiate with the same
 * identifier and size (the Green Book lets a meter keep the blocks of the same image) and read
 * **image_transferred_blocks_status (attribute 3)**, the bit-string with one bit per block, and send
 * exactly the blocks whose bit is 0. If the bit-string is missing or does not have one bit per block (a
 * meter that restarted the transfer), every block is sent again, except those the caller's own record
 * (`sentBlocks`, filled as blocks are acknowledged) says were acknowledged **and** the bit-string does
 * not contradict. Either way nothing is skipped that the meter does not have: verification catches the rest.
 *
 * Progress is reported through `onProgress` ({@link FirmwareProgress}).
 *
 * @module
 */
import { bitStringToBits } from '../../axdr/bitstring.ts';
import type { Data } from '../../axdr/types.ts';
import type { ExecutionTimeDate } from '../../cosem/single-action-schedule.ts';
import { SINGLE_ACTION_SCHEDULE_CLASS } from '../../cosem/single-action-schedule.ts';
import { DlmsError } from '../../errors.ts';
import type { OperationsClient } from './operations.ts';

export const IMAGE_TRANSFER_LN = '0.0.44.0.0.255';
export const IMAGE_ACTIVATION_SCHEDULE_LN = '0.0.15.0.2.255';

export type FirmwareProgress =
  | { phase: 'initiate'; blockSize: number; blocks: number; size: number }
  | { phase: 'resume'; alreadyOnMeter: number; blocks: number }
  | { phase: 'block'; block: number; sent: number; toSend: number; blocks: number }
  | { phase: 'verify' }
  | { phase: 'verified' }
  | { phase: 'activate' }
  | { phase: 'activated' }
  | { phase: 'scheduled'; at: ExecutionTimeDate };

export interface FirmwareUpgradeOptions {
  /** image_identifier (bytes, or text as ASCII). */
  identifier: Uint8Array | string;
  image: Uint8Array;
  /** `now` (default), a schedule (image activation single action schedule), or `false` (verify only). */
  activate?: 'now' | { at: ExecutionTimeDate } | false;
  onProgress?: (p: FirmwareProgress) => void;
  /**
   * Block numbers acknowledged in earlier attempts (our own record); updated as blocks are
   * acknowledged. Used only when the meter's bit-string cannot be read (see the module doc).
   */
  sentBlocks?: Set<number>;
  /** Polling of image_transfer_status while the meter verifies or activates (default 500 ms, 60 s). */
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
}

export interface FirmwareUpgradeResult {
  blocks: number;
  /** Blocks sent in this run (fewer than `blocks` after a resume). */
  sent: number;
  /** Blocks the meter already had. */
  resumed: number;
  /** Final image_transfer_status (3 verified, 6 activated). */
  status: number;
}

const ref = (attribute: number) => ({ classId: 18, obis: IMAGE_TRANSFER_LN, attribute });
const meth = (method: number) => ({ classId: 18, obis: IMAGE_TRANSFER_LN, method });

function num(d: Data, what: string): number {
  if ('value' in d && typeof d.value === 'number') return d.value;
  throw new DlmsError('MALFORMED', `${what}: a number was expected, got ${d.type}`);
}

function isTemporaryFailure(e: unknown): boolean {
  if (!(e instanceof DlmsError) || e.code !== 'SERVICE_ERROR') return false;
  const c = e.cause as { result?: unknown } | undefined;
  return c?.result === 'temporary-failure';
}

/** image_transfer_status (attribute 6). */
export async function readImageTransferStatus(client: OperationsClient): Promise<number> {
  return num(await client.get(ref(6)), 'image_transfer_status');
}

/** Which blocks the meter has (attribute 3), or undefined when it cannot say. */
export async function readTransferredBlocks(client: OperationsClient): Promise<boolean[] | undefined> {
  try {
    const d = await client.get(ref(3));
    if (d.type !== 'bit-string') return undefined;
    return [...bitStringToBits(d.value)].map((c) => c === '1');
  } catch (e) {
    if (e instanceof DlmsError && e.code === 'SERVICE_ERROR') return undefined;
    throw e;
  }
}

async function waitForStatus(
  client: OperationsClient,
  done: readonly number[],
  o: FirmwareUpgradeOptions,
): Promise<number> {
  const every = o.pollIntervalMs ?? 500;
  const until = Date.now() + (o.pollTimeoutMs ?? 60_000);
  for (;;) {
    const s = await readImageTransferStatus(client);
    if (done.includes(s)) return s;
    if (Date.now() > until) throw new DlmsError('TIMEOUT', `image_transfer_status still ${s}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Runs (or resumes) the whole upgrade; see the module doc. */
export async function upgradeFirmware(
  client: OperationsClient,
  options: FirmwareUpgradeOptions,
): Promise<FirmwareUpgradeResult> {
  const image = options.image;
  if (!(image instanceof Uint8Array) || image.length === 0) {
    throw new DlmsError('INVALID_ARGUMENT', 'image must be non-empty bytes');
  }
  const identifier =
    typeof options.identifier === 'string'
      ? new TextEncoder().encode(options.identifier)
      : options.identifier;
  const progress = options.onProgress ?? (() => undefined);

  const enabled = await client.get(ref(5));
  if (enabled.type === 'boolean' && !enabled.value)
    await client.set(ref(5), { type: 'boolean', value: true });
  const blockSize = num(await client.get(ref(2)), 'image_block_size');
  if (blockSize < 1) throw new DlmsError('MALFORMED', `image_block_size ${blockSize}`);
  const blocks = Math.ceil(image.length / blockSize);

  await client.action(meth(1), {
    type: 'structure',
    value: [
      { type: 'octet-string', value: identifier },
      { type: 'double-long-unsigned', value: image.length },
    ],
  });
  progress({ phase: 'initiate', blockSize, blocks, size: image.length });

  const onMeter = await readTransferredBlocks(client);
  const have = (n: number): boolean =>
    onMeter !== undefined && onMeter.length >= blocks
      ? onMeter[n] === true
      : (options.sentBlocks?.has(n) ?? false);
  const todo: number[] = [];
  for (let n = 0; n < blocks; n++) if (!have(n)) todo.push(n);
  const resumed = blocks - todo.length;
  if (resumed > 0) progress({ phase: 'resume', alreadyOnMeter: resumed, blocks });

  let sent = 0;
  for (const n of todo) {
    const value = image.subarray(n * blockSize, Math.min(image.length, (n + 1) * blockSize));
    await client.action(meth(2), {
      type: 'structure',
      value: [
        { type: 'double-long-unsigned', value: n },
        { type: 'octet-string', value },
      ],
    });
    options.sentBlocks?.add(n);
    sent++;
    progress({ phase: 'block', block: n, sent, toSend: todo.length, blocks });
  }

  progress({ phase: 'verify' });
  let status: number;
  try {
    await client.action(meth(3), { type: 'integer', value: 0 });
    status = await readImageTransferStatus(client);
    if (status === 2) status = await waitForStatus(client, [3, 4], options);
  } catch (e) {
    if (!isTemporaryFailure(e)) {
      throw new DlmsError('SERVICE_ERROR', `image verification failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    status = await waitForStatus(client, [3, 4], options);
  }
  if (status !== 3)
    throw new DlmsError('SERVICE_ERROR', `image verification failed (image_transfer_status ${status})`);
  progress({ phase: 'verified' });

  const act = options.activate ?? 'now';
  if (act === false) return { blocks, sent, resumed, status };
  if (act === 'now') {
    progress({ phase: 'activate' });
    try {
      await client.action(meth(4), { type: 'integer', value: 0 });
      status = await readImageTransferStatus(client);
      if (status === 5) status = await waitForStatus(client, [6, 7], options);
    } catch (e) {
      if (!isTemporaryFailure(e)) {
        throw new DlmsError('SERVICE_ERROR', `image activation failed: ${(e as Error).message}`, {
          cause: e,
        });
      }
      status = await waitForStatus(client, [6, 7], options);
    }
    if (status !== 6)
      throw new DlmsError('SERVICE_ERROR', `image activation failed (image_transfer_status ${status})`);
    progress({ phase: 'activated' });
    return { blocks, sent, resumed, status };
  }
  await client.set(
    { classId: 22, obis: IMAGE_ACTIVATION_SCHEDULE_LN, attribute: 4 },
    SINGLE_ACTION_SCHEDULE_CLASS.attributes.executionTime.codec.encode([act.at]),
  );
  progress({ phase: 'scheduled', at: act.at });
  return { blocks, sent, resumed, status };
}
