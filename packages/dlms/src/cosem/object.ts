/**
 * The COSEM object model shared by every interface class: static class metadata ({@link ClassSpec}), the
 * server-side contract ({@link CosemObject}) and its context ({@link CosemContext}), and the base class the
 * in-memory implementations extend ({@link CosemServerObject}).
 *
 * **The server contract.** A server (e.g. a `DlmsServer`) routes each GET, SET and ACTION to an object
 * by `(classId, logicalName)`, normally through a {@link CosemObjectSet} which also enforces the access
 * rights of the current association. The object answers with `Data`, or throws a
 * {@link CosemServiceError} carrying the Data-Access-Result / Action-Result to send back. Anything else
 * thrown is a bug in the object and should be answered with `other-reason`.
 *
 * - `get(attributeId, ctx, selectiveAccess?)` → `Data`. Attribute 1 is always the logical name.
 * - `set(attributeId, value, ctx, selectiveAccess?)`: a value of the wrong shape is `type-unmatched`, a
 *   value out of the attribute's range `other-reason`, an attribute that cannot be written
 *   `read-write-denied`.
 * - `action(methodId, parameters, ctx)` → `Data | undefined` (the optional return-parameters).
 * - Unknown attribute or method ids are `object-undefined`. Selective access on an attribute that does not
 *   support it is `scope-of-access-violated`.
 *
 * Objects hold their state in memory and nothing at module level. Time comes only from `ctx.now()`, and
 * other objects only through `ctx.objects`, so that an object is a plain value that tests can drive.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { DlmsError, withPath } from '../errors.ts';
import { type Obis, obisToBytes, parseObis } from '../obis/index.ts';
import type { Codec } from './codec.ts';
import { logicalName as logicalNameCodec } from './codec.ts';
import { accessError, actionError, CosemServiceError } from './results.ts';

/**
 * Attribute access modes of Association LN versions 0–2 (`attribute_access_mode` enum):
 * 0 no_access, 1 read_only, 2 write_only, 3 read_and_write, 4 authenticated_read_only,
 * 5 authenticated_write_only, 6 authenticated_read_and_write.
 */
export const ATTRIBUTE_ACCESS = Object.freeze({
  'no-access': 0,
  'read-only': 1,
  'write-only': 2,
  'read-and-write': 3,
  'authenticated-read-only': 4,
  'authenticated-write-only': 5,
  'authenticated-read-and-write': 6,
} as const);
export type AttributeAccessMode = keyof typeof ATTRIBUTE_ACCESS;

/** Method access modes of Association LN versions 1–2: 0 no_access, 1 access, 2 authenticated_access. */
export const METHOD_ACCESS = Object.freeze({
  'no-access': 0,
  access: 1,
  'authenticated-access': 2,
} as const);
export type MethodAccessMode = keyof typeof METHOD_ACCESS;

/** Can a client read (`'get'`) or write (`'set'`) an attribute with this mode, authenticated or not? */
export function attributeAllows(
  mode: AttributeAccessMode,
  service: 'get' | 'set',
  authenticated: boolean,
): boolean {
  switch (mode) {
    case 'read-only':
      return service === 'get';
    case 'write-only':
      return service === 'set';
    case 'read-and-write':
      return true;
    case 'authenticated-read-only':
      return authenticated && service === 'get';
    case 'authenticated-write-only':
      return authenticated && service === 'set';
    case 'authenticated-read-and-write':
      return authenticated;
    default:
      return false;
  }
}

export function methodAllows(mode: MethodAccessMode, authenticated: boolean): boolean {
  return mode === 'access' || (mode === 'authenticated-access' && authenticated);
}

/** One attribute of an interface class. */
export interface AttributeDef<T = unknown> {
  /** 1-based attribute index. */
  readonly id: number;
  /** The Blue Book's name, e.g. `scaler_unit`. */
  readonly name: string;
  readonly codec: Codec<T>;
  /** The access a typical server grants (used when an association says nothing more specific). */
  readonly access: AttributeAccessMode;
  /** True when GET accepts selective access on this attribute (Profile generic buffer). */
  readonly selective?: readonly number[];
}

/** One method of an interface class; `params` is undefined for methods whose parameter is ignored. */
export interface MethodDef<P = unknown> {
  /** 1-based method index. */
  readonly id: number;
  readonly name: string;
  readonly params: Codec<P> | undefined;
  readonly access: MethodAccessMode;
}

/**
 * The static metadata of an interface class: id, version, attribute and method tables. `attributes` and
 * `methods` are keyed by the camelCase name used in the typed values, each entry carrying the standard's
 * name and index; `attributeById` / `methodById` look them up by index.
 */
export interface ClassSpec<V extends object = object, M extends object = object> {
  readonly classId: number;
  readonly version: number;
  /** The Blue Book's class name, e.g. `Register`. */
  readonly name: string;
  readonly attributes: { readonly [K in keyof V]-?: AttributeDef<V[K]> };
  readonly methods: { readonly [K in keyof M]-?: MethodDef<M[K]> };
  /** Index → definition; index 1 is `logical_name` (not in `attributes`). */
  readonly attributeById: readonly (AttributeDef | undefined)[];
  readonly methodById: readonly (MethodDef | undefined)[];
  /** Attribute-name key of each attribute index (index 1: `logicalName`). */
  readonly keyById: readonly (string | undefined)[];
  readonly methodKeyById: readonly (string | undefined)[];
  readonly attributeCount: number;
  readonly methodCount: number;
}

/** The logical_name attribute every class has at index 1. */
export const LOGICAL_NAME_ATTRIBUTE: AttributeDef<Obis> = Object.freeze({
  id: 1,
  name: 'logical_name',
  codec: logicalNameCodec,
  access: 'read-only',
});

/** Builds a frozen {@link ClassSpec}, checking that indexes are unique and dense. */
export function defineClass<V extends object, M extends object = Record<never, never>>(input: {
  classId: number;
  version: number;
  name: string;
  attributes: { readonly [K in keyof V]-?: AttributeDef<V[K]> };
  methods?: { readonly [K in keyof M]-?: MethodDef<M[K]> };
}): ClassSpec<V, M> {
  const attributeById: (AttributeDef | undefined)[] = [undefined, LOGICAL_NAME_ATTRIBUTE];
  const keyById: (string | undefined)[] = [undefined, 'logicalName'];
  for (const [k, a] of Object.entries(input.attributes) as [string, AttributeDef][]) {
    if (attributeById[a.id] !== undefined) throw new Error(`${input.name}: attribute ${a.id} twice`);
    attributeById[a.id] = Object.freeze(a);
    keyById[a.id] = k;
  }
  const methods = (input.methods ?? {}) as Record<string, MethodDef>;
  const methodById: (MethodDef | undefined)[] = [undefined];
  const methodKeyById: (string | undefined)[] = [undefined];
  for (const [k, m] of Object.entries(methods)) {
    if (methodById[m.id] !== undefined) throw new Error(`${input.name}: method ${m.id} twice`);
    methodById[m.id] = Object.freeze(m);
    methodKeyById[m.id] = k;
  }
  return Object.freeze({
    classId: input.classId,
    version: input.version,
    name: input.name,
    attributes: Object.freeze(input.attributes),
    methods: Object.freeze(methods) as ClassSpec<V, M>['methods'],
    attributeById: Object.freeze(attributeById),
    methodById: Object.freeze(methodById),
    keyById: Object.freeze(keyById),
    methodKeyById: Object.freeze(methodKeyById),
    attributeCount: attributeById.length - 1,
    methodCount: methodById.length - 1,
  });
}

// ---------------------------------------------------------------------------------------------------------
// The client's view: typed values from and to Data.

/** The typed value of attribute `attributeId` of a class, from the Data a meter sent. */
export function decodeAttribute(spec: ClassSpec, attributeId: number, d: Data): unknown {
  const a = spec.attributeById[attributeId];
  if (!a) throw new DlmsError('INVALID_ARGUMENT', `${spec.name} has no attribute ${attributeId}`);
  return withPath(a.name, () => a.codec.decode(d));
}

/** The Data of attribute `attributeId` from its typed value. */
export function encodeAttribute(spec: ClassSpec, attributeId: number, value: unknown): Data {
  const a = spec.attributeById[attributeId];
  if (!a) throw new DlmsError('INVALID_ARGUMENT', `${spec.name} has no attribute ${attributeId}`);
  return withPath(a.name, () => a.codec.encode(value));
}

/** The typed attribute by its key: `readAttribute(REGISTER, 'scalerUnit', data)` is a `ScalerUnit`. */
export function readAttribute<V extends object, K extends keyof V & string>(
  spec: ClassSpec<V>,
  key: K,
  d: Data,
): V[K] {
  const a = spec.attributes[key];
  return withPath(a.name, () => a.codec.decode(d));
}

/** The Data of a typed attribute by its key. */
export function writeAttribute<V extends object, K extends keyof V & string>(
  spec: ClassSpec<V>,
  key: K,
  value: V[K],
): Data {
  const a = spec.attributes[key];
  return withPath(a.name, () => a.codec.encode(value));
}

/** The Data parameter of a method from its typed value (`{type:'integer', value:0}` for "integer (0)"). */
export function encodeMethodParams<M extends object, K extends keyof M & string>(
  spec: ClassSpec<object, M>,
  key: K,
  params: M[K],
): Data {
  const m = spec.methods[key];
  if (!m.params) return { type: 'integer', value: 0 };
  return withPath(m.name, () => m.params!.encode(params));
}

// ---------------------------------------------------------------------------------------------------------
// The server side.

/** `{ selector, parameters }` of a cosem-attribute-descriptor with selection (Green Book). */
export interface SelectiveAccess {
  /** access_selector: Unsigned8 (Profile generic: 1 range_descriptor, 2 entry_descriptor). */
  readonly selector: number;
  readonly parameters: Data;
}

/**
 * What an object may ask about the association it serves. An Association LN object implements it from
 * its object_list access rights; a test can pass a literal.
 */
export interface AccessPolicy {
  attributeAccess(object: CosemObject, attributeId: number): AttributeAccessMode;
  methodAccess(object: CosemObject, methodId: number): MethodAccessMode;
}

/** Everything an object may use besides its own state, passed with each request. */
export interface CosemContext {
  /** The clock source (no global time): the instant "now" for this request. */
  now(): Date;
  /** The client SAP of the association the request came on (IS 15959: 16 public, 32 MR, 48 US, …). */
  readonly clientSap?: number;
  /** The client's system title from its AARQ (calling-AP-title), when it sent one. */
  readonly clientSystemTitle?: Uint8Array | undefined;
  /** True once the association's (HLS) authentication has completed; gates `authenticated-*` access modes. */
  readonly authenticated?: boolean;
  /** The access rights of the current association; when absent, the class defaults apply. */
  readonly access?: AccessPolicy;
  /** The server's objects, for those that read others (Profile generic capture, Association LN object_list). */
  readonly objects?: CosemObjectLookup;
}

/** The part of a registry that objects need: lookup and iteration. */
export interface CosemObjectLookup {
  find(classId: number, logicalName: Obis): CosemObject | undefined;
  findByName(logicalName: Obis): CosemObject | undefined;
  [Symbol.iterator](): Iterator<CosemObject>;
}

/** The server-side contract of a COSEM object (see the module doc). */
export interface CosemObject {
  readonly classId: number;
  readonly version: number;
  readonly logicalName: Obis;
  readonly spec: ClassSpec;
  readonly attributeCount: number;
  readonly methodCount: number;
  get(attributeId: number, ctx: CosemContext, selectiveAccess?: SelectiveAccess): Data;
  set(attributeId: number, value: Data, ctx: CosemContext, selectiveAccess?: SelectiveAccess): void;
  action(methodId: number, parameters: Data | undefined, ctx: CosemContext): Data | undefined;
}

/**
 * Base of the in-memory server objects: typed state in `values` (keyed like the class's typed view),
 * GET encodes it, SET decodes into it (wrong shape → `type-unmatched`), ACTION dispatches to
 * {@link invoke}. Subclasses override {@link read}, {@link write} and {@link invoke} for computed
 * attributes and behaviour.
 */
export abstract class CosemServerObject<V extends object, M extends object = Record<never, never>>
  implements CosemObject
{
  readonly spec: ClassSpec<V, M>;
  readonly logicalName: Obis;
  /** The attribute values (typed). Owners may read and change them directly (local, not over DLMS). */
  values: V;

  constructor(spec: ClassSpec<V, M>, logicalName: Obis | string, values: V) {
    this.spec = spec;
    this.logicalName = parseObis(logicalName);
    this.values = values;
  }

  get classId(): number {
    return this.spec.classId;
  }
  get version(): number {
    return this.spec.version;
  }
  get attributeCount(): number {
    return this.spec.attributeCount;
  }
  get methodCount(): number {
    return this.spec.methodCount;
  }

  get(attributeId: number, ctx: CosemContext, selectiveAccess?: SelectiveAccess): Data {
    const def = this.attribute('get', attributeId);
    if (attributeId === 1) {
      if (selectiveAccess) throw this.noSelective('get', def);
      return { type: 'octet-string', value: obisToBytes(this.logicalName) };
    }
    if (selectiveAccess && !def.selective?.includes(selectiveAccess.selector))
      throw this.noSelective('get', def);
    return this.read(this.spec.keyById[attributeId] as keyof V & string, ctx, selectiveAccess);
  }

  set(attributeId: number, value: Data, ctx: CosemContext, selectiveAccess?: SelectiveAccess): void {
    const def = this.attribute('set', attributeId);
    if (attributeId === 1) throw accessError('set', 'read-write-denied', 'logical_name cannot be written');
    if (selectiveAccess) throw this.noSelective('set', def);
    let typed: unknown;
    try {
      typed = def.codec.decode(value);
    } catch (e) {
      if (e instanceof DlmsError && !(e instanceof CosemServiceError)) {
        throw accessError('set', 'type-unmatched', `${def.name}: ${e.message}`, e);
      }
      throw e;
    }
    this.write(this.spec.keyById[attributeId] as keyof V & string, typed as never, ctx);
  }

  action(methodId: number, parameters: Data | undefined, ctx: CosemContext): Data | undefined {
    const def = this.spec.methodById[methodId];
    if (!def)
      throw actionError(
        'object-undefined',
        `${this.spec.name} ${this.logicalName} has no method ${methodId}`,
      );
    let typed: unknown;
    if (def.params) {
      if (parameters === undefined)
        throw actionError('type-unmatched', `${def.name} needs parameters (${def.params.shape})`);
      try {
        typed = def.params.decode(parameters);
      } catch (e) {
        if (e instanceof DlmsError && !(e instanceof CosemServiceError)) {
          throw actionError('type-unmatched', `${def.name}: ${e.message}`, e);
        }
        throw e;
      }
    }
    return this.invoke(this.spec.methodKeyById[methodId] as keyof M & string, typed as never, ctx);
  }

  /** GET of one attribute (not logical_name). The default encodes `values[key]`. */
  protected read<K extends keyof V & string>(
    key: K,
    _ctx: CosemContext,
    _selectiveAccess?: SelectiveAccess,
  ): Data {
    return this.spec.attributes[key].codec.encode(this.values[key]);
  }

  /** SET of one attribute with its decoded value. The default stores it. */
  protected write<K extends keyof V & string>(key: K, value: V[K], _ctx: CosemContext): void {
    this.values[key] = value;
  }

  /** ACTION with its decoded parameters. The default refuses (`other-reason`): the class has no behaviour. */
  protected invoke<K extends keyof M & string>(key: K, _params: M[K], _ctx: CosemContext): Data | undefined {
    throw actionError(
      'other-reason',
      `${this.spec.name} ${this.logicalName}: ${String(key)} is not implemented`,
    );
  }

  private attribute(service: 'get' | 'set', id: number): AttributeDef {
    const def = this.spec.attributeById[id];
    if (!def)
      throw accessError(
        service,
        'object-undefined',
        `${this.spec.name} ${this.logicalName} has no attribute ${id}`,
      );
    return def;
  }

  private noSelective(service: 'get' | 'set', def: AttributeDef): CosemServiceError {
    return accessError(
      service,
      'scope-of-access-violated',
      `${def.name} does not support this selective access`,
    );
  }
}

/** Refuses a SET whose value is in the right shape but out of range. */
export function outOfRange(name: string, message: string): CosemServiceError {
  return accessError('set', 'other-reason', `${name}: ${message}`);
}
