/**
 * Interface class **Register activation** (class_id 6, version 0), IEC 62056-6-2 §4.3.5: which registers
 * (e.g. the TOD-zone energy registers) are active, by named masks over a list of registers; the tariff
 * scripts switch `active_mask`.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 register_assignment | array of object_definition | static |
 * | 3 mask_list | array of register_act_mask | static |
 * | 4 active_mask | octet-string | dynamic: the mask_name in force |
 *
 * ```text
 * object_definition ::= structure { class_id long-unsigned, logical_name octet-string }
 * register_act_mask ::= structure { mask_name octet-string,
 *                                   index_list array of unsigned }   -- 1-based into register_assignment
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 add_register | object_definition | appends to register_assignment |
 * | 2 add_mask | register_act_mask | adds a mask; a mask with the same name is replaced |
 * | 3 delete_mask | octet-string mask_name | removes it (none: success, nothing changes) |
 *
 * **Server.** A mask whose index_list names an index outside register_assignment, and an active_mask
 * that names no mask (other than the empty name, "none"), are refused with `other-reason`; deleting the
 * active mask leaves no mask active (active_mask becomes empty). {@link RegisterActivationObject.isActive}
 * tells whether a register is switched on by the active mask.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { type Obis, obisEquals } from '../obis/index.ts';
import { arrayOf, logicalName, longUnsigned, octetString, struct, unsigned } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';
import { actionError } from './results.ts';

export interface RegisterObjectDefinition {
  classId: number;
  logicalName: Obis;
}

export interface RegisterActMask {
  maskName: Uint8Array;
  indexList: number[];
}

export interface RegisterActivationAttributes {
  registerAssignment: RegisterObjectDefinition[];
  maskList: RegisterActMask[];
  activeMask: Uint8Array;
}

export interface RegisterActivationMethods {
  addRegister: RegisterObjectDefinition;
  addMask: RegisterActMask;
  deleteMask: Uint8Array;
}

export const registerObjectDefinition = /* @__PURE__ */ struct({ classId: longUnsigned, logicalName });
export const registerActMask = /* @__PURE__ */ struct({
  maskName: octetString,
  indexList: arrayOf(unsigned),
});

export const REGISTER_ACTIVATION_CLASS = /* @__PURE__ */ defineClass<
  RegisterActivationAttributes,
  RegisterActivationMethods
>({
  classId: 6,
  version: 0,
  name: 'Register activation',
  attributes: {
    registerAssignment: {
      id: 2,
      name: 'register_assignment',
      codec: arrayOf(registerObjectDefinition),
      access: 'read-only',
    },
    maskList: { id: 3, name: 'mask_list', codec: arrayOf(registerActMask), access: 'read-only' },
    activeMask: { id: 4, name: 'active_mask', codec: octetString, access: 'read-and-write' },
  },
  methods: {
    addRegister: { id: 1, name: 'add_register', params: registerObjectDefinition, access: 'no-access' },
    addMask: { id: 2, name: 'add_mask', params: registerActMask, access: 'no-access' },
    deleteMask: { id: 3, name: 'delete_mask', params: octetString, access: 'no-access' },
  },
});

export class RegisterActivationObject extends CosemServerObject<
  RegisterActivationAttributes,
  RegisterActivationMethods
> {
  constructor(logicalName: Obis | string, init: Partial<RegisterActivationAttributes> = {}) {
    super(REGISTER_ACTIVATION_CLASS, logicalName, {
      registerAssignment: init.registerAssignment ?? [],
      maskList: init.maskList ?? [],
      activeMask: init.activeMask ?? new Uint8Array(0),
    });
  }

  /** True when the active mask lists the register. */
  isActive(classId: number, ln: Obis): boolean {
    const v = this.values;
    const mask = v.maskList.find((m) => sameBytes(m.maskName, v.activeMask));
    if (!mask) return false;
    return mask.indexList.some((i) => {
      const r = v.registerAssignment[i - 1];
      return r !== undefined && r.classId === classId && obisEquals(r.logicalName, ln);
    });
  }

  #maskProblem(m: RegisterActMask, registers = this.values.registerAssignment.length): string | undefined {
    const bad = m.indexList.find((i) => i < 1 || i > registers);
    return bad === undefined ? undefined : `index ${bad} is outside register_assignment 1..${registers}`;
  }

  protected override write<K extends keyof RegisterActivationAttributes & string>(
    key: K,
    value: RegisterActivationAttributes[K],
    ctx: CosemContext,
  ): void {
    const v = this.values;
    if (key === 'activeMask') {
      const name = value as Uint8Array;
      if (name.length > 0 && !v.maskList.some((m) => sameBytes(m.maskName, name)))
        throw outOfRange('active_mask', 'no mask of that name');
    } else if (key === 'maskList') {
      for (const m of value as RegisterActMask[]) {
        const p = this.#maskProblem(m);
        if (p) throw outOfRange('mask_list', p);
      }
    } else if (key === 'registerAssignment') {
      const n = (value as RegisterObjectDefinition[]).length;
      for (const m of v.maskList) {
        const p = this.#maskProblem(m, n);
        if (p) throw outOfRange('register_assignment', `mask_list: ${p}`);
      }
    }
    super.write(key, value, ctx);
  }

  protected override invoke<K extends keyof RegisterActivationMethods & string>(
    key: K,
    params: RegisterActivationMethods[K],
    _ctx: CosemContext,
  ): Data | undefined {
    const v = this.values;
    switch (key) {
      case 'addRegister':
        v.registerAssignment.push(params as RegisterObjectDefinition);
        break;
      case 'addMask': {
        const m = params as RegisterActMask;
        const p = this.#maskProblem(m);
        if (p) throw actionError('other-reason', `add_mask: ${p}`);
        v.maskList = [...v.maskList.filter((x) => !sameBytes(x.maskName, m.maskName)), m];
        break;
      }
      case 'deleteMask': {
        const name = params as Uint8Array;
        v.maskList = v.maskList.filter((x) => !sameBytes(x.maskName, name));
        if (sameBytes(v.activeMask, name)) v.activeMask = new Uint8Array(0);
        break;
      }
    }
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
