/**
 * Interface class **Script table** (class_id 9, version 0), IEC 62056-6-2 §4.5.2: scripts of writes and
 * method calls that other objects trigger (IS 15959: MD reset 0.0.10.0.1.255, tariff 0.0.10.0.100.255,
 * image activation 0.0.10.0.107.255).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 scripts | array of script | static |
 *
 * ```text
 * script ::= structure { script_identifier long-unsigned, actions array of action_specification }
 * action_specification ::= structure {
 *   service_id enum,            -- 1 write attribute, 2 execute specific method
 *   class_id long-unsigned, logical_name octet-string,
 *   index integer,              -- attribute index (write) or method index (execute)
 *   parameter CHOICE (any Data) -- the value written, or the method's parameter
 * }
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 execute | long-unsigned script_identifier | runs the script's actions in order |
 *
 * **Server.** `execute` resolves each action's target through `ctx.objects` (as the meter: no access
 * rights) and calls its `set` or `action`. The actions run in order; the first that fails stops the script
 * and the method is refused with `other-reason`, naming the action (the actions before it stay done: the
 * standard defines no rollback). An unknown script_identifier is `other-reason`; identifier 0 is reserved
 * and is refused too. Scripts may execute other scripts; a chain deeper than {@link MAX_SCRIPT_DEPTH} is
 * refused, so a script that triggers itself cannot loop.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { formatObis, type Obis } from '../obis/index.ts';
import { anyData, arrayOf, enumOf, integer, logicalName, longUnsigned, struct } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { actionError, CosemServiceError } from './results.ts';

export interface ActionSpecification {
  /** 1 write attribute, 2 execute specific method. */
  serviceId: 1 | 2;
  classId: number;
  logicalName: Obis;
  /** Attribute index (service 1) or method index (service 2). */
  index: number;
  parameter: Data;
}

export interface Script {
  scriptIdentifier: number;
  actions: ActionSpecification[];
}

export interface ScriptTableAttributes {
  scripts: Script[];
}

export interface ScriptTableMethods {
  execute: number;
}

export const actionSpecification = /* @__PURE__ */ struct({
  serviceId: enumOf([1, 2], 'service_id'),
  classId: longUnsigned,
  logicalName,
  index: integer,
  parameter: anyData,
});

export const script = /* @__PURE__ */ struct({
  scriptIdentifier: longUnsigned,
  actions: arrayOf(actionSpecification),
});

export const SCRIPT_TABLE_CLASS = /* @__PURE__ */ defineClass<ScriptTableAttributes, ScriptTableMethods>({
  classId: 9,
  version: 0,
  name: 'Script table',
  attributes: {
    scripts: { id: 2, name: 'scripts', codec: arrayOf(script), access: 'read-only' },
  },
  methods: { execute: { id: 1, name: 'execute', params: longUnsigned, access: 'access' } },
});

/** How deep scripts may trigger scripts (through any Script tables) before execution is refused. */
export const MAX_SCRIPT_DEPTH = 8;

export class ScriptTableObject extends CosemServerObject<ScriptTableAttributes, ScriptTableMethods> {
  /** Called after each action ran (for logs and tests). */
  onAction: ((action: ActionSpecification, scriptIdentifier: number) => void) | undefined;
  #depth = 0;

  constructor(logicalName: Obis | string, scripts: Script[] = []) {
    super(SCRIPT_TABLE_CLASS, logicalName, { scripts });
  }

  /** Runs script `id` now (as method 1 does). */
  execute(id: number, ctx: CosemContext): void {
    const s = id === 0 ? undefined : this.values.scripts.find((x) => x.scriptIdentifier === id);
    if (!s) throw actionError('other-reason', `${formatObis(this.logicalName)} has no script ${id}`);
    if (this.#depth >= MAX_SCRIPT_DEPTH) {
      throw actionError('other-reason', `scripts nested deeper than ${MAX_SCRIPT_DEPTH} (a loop?)`);
    }
    this.#depth++;
    try {
      s.actions.forEach((a, i) => {
        const what = `script ${id} action ${i + 1} (${a.serviceId === 1 ? 'write' : 'execute'} ${a.classId}/${formatObis(a.logicalName)}/${a.index})`;
        const o = ctx.objects?.find(a.classId, a.logicalName);
        if (!o) throw actionError('other-reason', `${what}: no such object`);
        try {
          if (a.serviceId === 1) o.set(a.index, a.parameter, ctx);
          else o.action(a.index, a.parameter, ctx);
        } catch (e) {
          const why = e instanceof CosemServiceError ? `${e.result}: ${e.message}` : String(e);
          throw actionError('other-reason', `${what} refused (${why})`, e);
        }
        this.onAction?.(a, id);
      });
    } finally {
      this.#depth--;
    }
  }

  protected override invoke(_key: 'execute', params: number, ctx: CosemContext): Data | undefined {
    this.execute(params, ctx);
    return undefined;
  }
}
