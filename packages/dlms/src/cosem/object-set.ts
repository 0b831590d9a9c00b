/**
 * A registry of server objects that a server routes to by `(classId, logicalName)`, enforcing the
 * current association's access rights before the object sees the request.
 *
 * Routing rules (Data-Access-Result / Action-Result on refusal):
 * - no object with that logical name: `object-undefined`;
 * - an object with that logical name but another class: `object-class-inconsistent`;
 * - the association's access mode does not allow the service: `read-write-denied` (GET/SET and ACTION);
 * - otherwise the object's own answer.
 *
 * Access rights come from `ctx.access` (normally the Association LN object of the association); without
 * it the class's default access applies.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { DlmsError } from '../errors.ts';
import { formatObis, type Obis, parseObis } from '../obis/index.ts';
import {
  type AttributeAccessMode,
  attributeAllows,
  type CosemContext,
  type CosemObject,
  type CosemObjectLookup,
  type MethodAccessMode,
  methodAllows,
  type SelectiveAccess,
} from './object.ts';
import { accessError, actionError } from './results.ts';

const key = (o: Obis): string => formatObis(o);

export class CosemObjectSet implements CosemObjectLookup {
  readonly #byName = new Map<string, CosemObject>();

  constructor(objects: Iterable<CosemObject> = []) {
    for (const o of objects) this.add(o);
  }

  /** Adds an object; a second object with the same logical name is `INVALID_ARGUMENT`. */
  add<O extends CosemObject>(object: O): O {
    const k = key(object.logicalName);
    if (this.#byName.has(k)) throw new DlmsError('INVALID_ARGUMENT', `an object ${k} is already registered`);
    this.#byName.set(k, object);
    return object;
  }

  remove(logicalName: Obis | string): boolean {
    return this.#byName.delete(key(parseObis(logicalName)));
  }

  get size(): number {
    return this.#byName.size;
  }

  findByName(logicalName: Obis | string): CosemObject | undefined {
    return this.#byName.get(key(parseObis(logicalName)));
  }

  find(classId: number, logicalName: Obis | string): CosemObject | undefined {
    const o = this.findByName(logicalName);
    return o !== undefined && o.classId === classId ? o : undefined;
  }

  [Symbol.iterator](): Iterator<CosemObject> {
    return this.#byName.values();
  }

  /** Resolves the target of a request, or throws the routing refusal. */
  resolve(service: 'get' | 'set' | 'action', classId: number, logicalName: Obis | string): CosemObject {
    const ln = parseObis(logicalName);
    const o = this.findByName(ln);
    const refuse = (r: 'object-undefined' | 'object-class-inconsistent', m: string) =>
      service === 'action' ? actionError(r, m) : accessError(service, r, m);
    if (!o) throw refuse('object-undefined', `no object ${ln}`);
    if (o.classId !== classId) {
      throw refuse('object-class-inconsistent', `${ln} is class ${o.classId}, not ${classId}`);
    }
    return o;
  }

  /** The access mode of an attribute for this request's association. */
  attributeAccess(o: CosemObject, attributeId: number, ctx: CosemContext): AttributeAccessMode {
    if (ctx.access) return ctx.access.attributeAccess(o, attributeId);
    return o.spec.attributeById[attributeId]?.access ?? 'no-access';
  }

  methodAccess(o: CosemObject, methodId: number, ctx: CosemContext): MethodAccessMode {
    if (ctx.access) return ctx.access.methodAccess(o, methodId);
    return o.spec.methodById[methodId]?.access ?? 'no-access';
  }

  /** GET routed and access-checked. */
  get(
    classId: number,
    logicalName: Obis | string,
    attributeId: number,
    ctx: CosemContext,
    selectiveAccess?: SelectiveAccess,
  ): Data {
    const o = this.resolve('get', classId, logicalName);
    const c = this.#ctx(ctx);
    if (o.spec.attributeById[attributeId] === undefined) {
      throw accessError(
        'get',
        'object-undefined',
        `${o.spec.name} ${o.logicalName} has no attribute ${attributeId}`,
      );
    }
    if (!attributeAllows(this.attributeAccess(o, attributeId, c), 'get', c.authenticated === true)) {
      throw accessError(
        'get',
        'read-write-denied',
        `attribute ${attributeId} of ${o.logicalName} is not readable here`,
      );
    }
    return o.get(attributeId, c, selectiveAccess);
  }

  /** SET routed and access-checked. */
  set(
    classId: number,
    logicalName: Obis | string,
    attributeId: number,
    value: Data,
    ctx: CosemContext,
    selectiveAccess?: SelectiveAccess,
  ): void {
    const o = this.resolve('set', classId, logicalName);
    const c = this.#ctx(ctx);
    if (o.spec.attributeById[attributeId] === undefined) {
      throw accessError(
        'set',
        'object-undefined',
        `${o.spec.name} ${o.logicalName} has no attribute ${attributeId}`,
      );
    }
    if (!attributeAllows(this.attributeAccess(o, attributeId, c), 'set', c.authenticated === true)) {
      throw accessError(
        'set',
        'read-write-denied',
        `attribute ${attributeId} of ${o.logicalName} is not writable here`,
      );
    }
    o.set(attributeId, value, c, selectiveAccess);
  }

  /** ACTION routed and access-checked. */
  action(
    classId: number,
    logicalName: Obis | string,
    methodId: number,
    parameters: Data | undefined,
    ctx: CosemContext,
  ): Data | undefined {
    const o = this.resolve('action', classId, logicalName);
    const c = this.#ctx(ctx);
    if (o.spec.methodById[methodId] === undefined) {
      throw actionError('object-undefined', `${o.spec.name} ${o.logicalName} has no method ${methodId}`);
    }
    if (!methodAllows(this.methodAccess(o, methodId, c), c.authenticated === true)) {
      throw actionError('read-write-denied', `method ${methodId} of ${o.logicalName} is not allowed here`);
    }
    return o.action(methodId, parameters, c);
  }

  /** The context with `objects` set to this registry when the caller did not set it. */
  #ctx(ctx: CosemContext): CosemContext {
    return ctx.objects ? ctx : { ...ctx, objects: this };
  }
}
