/**
 * Interface class **Disconnect control** (class_id 70, version 0), IEC 62056-6-2 §4.5.8: the supply
 * switch (IS 15959 0.0.96.3.10.255, the "relay").
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 output_state | boolean | dynamic: TRUE connected, FALSE disconnected (the physical switch) |
 * | 3 control_state | enum | 0 disconnected, 1 connected, 2 ready_for_reconnection |
 * | 4 control_mode | enum | 0..6, see below |
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 remote_disconnect | integer (0) | |
 * | 2 remote_reconnect | integer (0) | |
 *
 * State transitions (the Blue Book's letters):
 *
 * | | trigger | from → to |
 * |---|---|---|
 * | a | remote_reconnect | disconnected → connected |
 * | b | remote_disconnect | connected → disconnected |
 * | c | remote_disconnect | ready_for_reconnection → disconnected |
 * | d | remote_reconnect | disconnected → ready_for_reconnection |
 * | e | manual_reconnect | ready_for_reconnection → connected |
 * | f | manual_disconnect | connected → ready_for_reconnection |
 * | g | local_disconnect | connected → ready_for_reconnection |
 * | h | local_reconnect | ready_for_reconnection → connected |
 *
 * | control_mode | disconnection | reconnection |
 * |---|---|---|
 * | 0 | none: always connected | |
 * | 1 | remote (b, c), manual (f), local (g) | remote (d), manual (e) |
 * | 2 | remote (b, c), manual (f), local (g) | remote (a), manual (e) |
 * | 3 | remote (b, c), local (g) | remote (d), manual (e) |
 * | 4 | remote (b, c), local (g) | remote (a), manual (e) |
 * | 5 | remote (b, c), manual (f), local (g) | remote (d), manual (e), local (h) |
 * | 6 | remote (b, c), local (g) | remote (d), local (h) |
 *
 * Server: a method whose transition the mode does not allow from the current state is refused with
 * `other-reason` (mode 0 refuses both); a method that finds the object already in its target state
 * (remote_disconnect when disconnected, remote_reconnect when connected) succeeds without change. Manual and local triggers are TypeScript methods
 * ({@link DisconnectControlObject.manualDisconnect} …) for the metering application, returning whether
 * the transition happened. Setting control_mode does not change the state.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import { boolean, enumOf } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { actionError } from './results.ts';

export type ControlState = 0 | 1 | 2;
export type ControlMode = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const CONTROL_STATE = Object.freeze({
  disconnected: 0,
  connected: 1,
  readyForReconnection: 2,
} as const);

export interface DisconnectControlAttributes {
  outputState: boolean;
  controlState: ControlState;
  controlMode: ControlMode;
}

export interface DisconnectControlMethods {
  remoteDisconnect: undefined;
  remoteReconnect: undefined;
}

export const DISCONNECT_CONTROL_CLASS = /* @__PURE__ */ defineClass<
  DisconnectControlAttributes,
  DisconnectControlMethods
>({
  classId: 70,
  version: 0,
  name: 'Disconnect control',
  attributes: {
    outputState: { id: 2, name: 'output_state', codec: boolean, access: 'read-only' },
    controlState: {
      id: 3,
      name: 'control_state',
      codec: enumOf([0, 1, 2], 'control_state'),
      access: 'read-only',
    },
    controlMode: {
      id: 4,
      name: 'control_mode',
      codec: enumOf([0, 1, 2, 3, 4, 5, 6], 'control_mode'),
      access: 'read-and-write',
    },
  },
  methods: {
    remoteDisconnect: { id: 1, name: 'remote_disconnect', params: undefined, access: 'authenticated-access' },
    remoteReconnect: { id: 2, name: 'remote_reconnect', params: undefined, access: 'authenticated-access' },
  },
});

/** A transition letter of the Blue Book state diagram. */
export type Transition = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h';

const TRANSITIONS: Record<Transition, readonly [ControlState, ControlState]> = {
  a: [0, 1],
  b: [1, 0],
  c: [2, 0],
  d: [0, 2],
  e: [2, 1],
  f: [1, 2],
  g: [1, 2],
  h: [2, 1],
};

/** The transitions each control mode allows. */
export const MODE_TRANSITIONS: Readonly<Record<ControlMode, ReadonlySet<Transition>>> = Object.freeze({
  0: new Set<Transition>(),
  1: new Set<Transition>(['b', 'c', 'f', 'g', 'd', 'e']),
  2: new Set<Transition>(['b', 'c', 'f', 'g', 'a', 'e']),
  3: new Set<Transition>(['b', 'c', 'g', 'd', 'e']),
  4: new Set<Transition>(['b', 'c', 'g', 'a', 'e']),
  5: new Set<Transition>(['b', 'c', 'f', 'g', 'd', 'e', 'h']),
  6: new Set<Transition>(['b', 'c', 'g', 'd', 'h']),
});

const TRIGGERS = {
  remoteDisconnect: ['b', 'c'],
  remoteReconnect: ['a', 'd'],
  manualDisconnect: ['f'],
  manualReconnect: ['e'],
  localDisconnect: ['g'],
  localReconnect: ['h'],
} as const satisfies Record<string, readonly Transition[]>;

export type Trigger = keyof typeof TRIGGERS;

export class DisconnectControlObject extends CosemServerObject<
  DisconnectControlAttributes,
  DisconnectControlMethods
> {
  constructor(logicalName: Obis | string, controlMode: ControlMode = 0, controlState: ControlState = 1) {
    super(DISCONNECT_CONTROL_CLASS, logicalName, {
      outputState: controlState === 1,
      controlState,
      controlMode,
    });
  }

  /** The transition a trigger would take now, or undefined when the mode or state does not allow one. */
  transitionFor(trigger: Trigger): Transition | undefined {
    const allowed = MODE_TRANSITIONS[this.values.controlMode];
    return TRIGGERS[trigger].find((t) => allowed.has(t) && TRANSITIONS[t][0] === this.values.controlState);
  }

  /** Applies a trigger; true when the state changed. */
  fire(trigger: Trigger): boolean {
    const t = this.transitionFor(trigger);
    if (t === undefined) return false;
    this.values.controlState = TRANSITIONS[t][1];
    this.values.outputState = this.values.controlState === 1;
    return true;
  }

  manualDisconnect(): boolean {
    return this.fire('manualDisconnect');
  }
  manualReconnect(): boolean {
    return this.fire('manualReconnect');
  }
  localDisconnect(): boolean {
    return this.fire('localDisconnect');
  }
  localReconnect(): boolean {
    return this.fire('localReconnect');
  }

  protected override invoke(
    key: keyof DisconnectControlMethods,
    _p: undefined,
    _ctx: CosemContext,
  ): Data | undefined {
    if (this.fire(key)) return undefined;
    const s = this.values.controlState;
    const allowed = MODE_TRANSITIONS[this.values.controlMode];
    const targets = TRIGGERS[key].filter((t) => allowed.has(t)).map((t) => TRANSITIONS[t][1]);
    // Already where the method leads (or, for a reconnect, already connected): success without change.
    if (targets.length > 0 && (targets.includes(s) || (key === 'remoteReconnect' && s === 1)))
      return undefined;
    throw actionError(
      'other-reason',
      `${key === 'remoteDisconnect' ? 'remote_disconnect' : 'remote_reconnect'} not allowed in control_mode ${this.values.controlMode} from control_state ${s}`,
    );
  }
}
