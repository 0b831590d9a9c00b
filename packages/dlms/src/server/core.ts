/**
 * What a session needs from its server: configuration, objects, counters and the event sink. Internal:
 * {@link DlmsServer} implements it.
 *
 * @module
 */
import type { CosemObjectSet } from '../cosem/object-set.ts';
import type { ActionResult, CosemServiceError, DataAccessResult } from '../cosem/results.ts';
import type { InvocationCounterStore } from '../security/counter.ts';
import type { RandomSource } from '../security/hls.ts';
import type { ResolvedAssociation } from './association.ts';
import type { ServerEvent } from './types.ts';

export interface ServerCore {
  readonly objects: CosemObjectSet;
  readonly associations: ReadonlyMap<number, ResolvedAssociation>;
  readonly systemTitle: Uint8Array | undefined;
  readonly counters: InvocationCounterStore;
  readonly now: () => Date;
  readonly random: RandomSource | undefined;
  readonly challengeLength: number;
  readonly inactivityTimeoutMs: number;
  readonly gbtWindow: number;
  readonly maxReassembledSize: number;
  emit(event: ServerEvent): void;
  /** A refusal carrying the result to answer with. */
  refusal(
    service: 'get' | 'set' | 'action',
    result: DataAccessResult | ActionResult,
    message: string,
    cause?: unknown,
  ): CosemServiceError;
  sessionEnded(session: object): void;
}
