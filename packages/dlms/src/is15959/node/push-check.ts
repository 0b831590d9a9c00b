/**
 * The push format check of the IS 15959 conformance checker: {@link checkPush} checks one pushed APDU
 * (a captured one, or one {@link listenForPush} received) against the catalogue's push setups, and
 * `checkMeter({ push: { listen } })` listens for one during a live check.
 *
 * | finding id | severity | when |
 * |---|---|---|
 * | `push-ciphering` | error | the push is not ciphered, or ciphered under a weaker policy than the Push association's (IS 15959: enc) |
 * | `push-format` | error | not a data-notification, a body other than { device ID, push setup LN, clock, …values }, an unknown push setup, a value count other than configured, or `decodePush` refuses it |
 * | `wrong-type` | error | a pushed value's type is not the catalogue's for the object at that position (order as configured) |
 * | `read-failed` | error | the push cannot be deciphered with the keys given (`AUTHENTICATION_FAILED`) |
 *
 * The values after the clock are matched by position with the push setup's push_object_list when given
 * (attribute 2 as read from the meter), else with the catalogue columns of the pushed profile (without
 * their leading clock). Each finding keeps the path (`push[0.0.25.9.0.255].body[5]`) and the bytes: the
 * offending value's A-XDR, or the whole APDU for findings about the APDU.
 *
 * @module
 */
import { createServer } from 'node:net';
import { decodeXdlmsApdu } from '../../apdu/index.ts';
import { encodeData } from '../../axdr/codec.ts';
import type { Data } from '../../axdr/types.ts';
import type { CaptureObjectDefinition } from '../../cosem/common.ts';
import { DlmsError, isDlmsError } from '../../errors.ts';
import { fromHex, toHex } from '../../internal/hex.ts';
import { formatObis, parseObis } from '../../obis/index.ts';
import { decodeCipheredApdu, type SecurityKeys, unprotectApdu } from '../../security/ciphered-apdu.ts';
import { policyOf, type SecurityPolicy } from '../../security/control.ts';
import { GENERAL_CIPHERING, GENERAL_DED_CIPHERING, GENERAL_GLO_CIPHERING } from '../../security/tags.ts';
import { WrapperDeframer } from '../../wrapper/index.ts';
import { is15959Catalogue } from '../catalogue.ts';
import { checkValue, objectDefFor } from '../checker.ts';
import { objectDef } from '../objects.ts';
import { decodePush, type PushProfileMapping, profileCaptureObjects } from '../push.ts';
import type { Is15959Variant, Is15959VariantInput } from '../variant.ts';
import type { CheckOutcome, CheckStatus, NetworkFinding } from './check.ts';
import { DEFAULT_SIMULATOR_VARIANT, type SimulatedMeterKeys } from './server.ts';

export interface CheckPushOptions {
  /** The Push association's keys, or a `--keys-out` record (its client 64 keys are used). */
  keys?: SecurityKeys | SimulatedMeterKeys | undefined;
  variant?: Is15959VariantInput | Is15959Variant | undefined;
  /** The push setup's push_object_list as configured in the meter, by push setup logical name (dotted). */
  pushObjectLists?: Readonly<Record<string, readonly CaptureObjectDefinition[]>> | undefined;
  /** The meter's system title, when known. */
  systemTitle?: Uint8Array | undefined;
}

const RANK: Record<SecurityPolicy | 'none', number> = { none: 0, auth: 1, enc: 1, 'auth+enc': 2 };

function isKeyRecord(k: CheckPushOptions['keys']): k is SimulatedMeterKeys {
  return typeof k === 'object' && k !== null && 'guek' in k;
}

function keysOf(k: CheckPushOptions['keys']): SecurityKeys | undefined {
  if (!k) return undefined;
  if (!isKeyRecord(k)) return k;
  const p = k.keys?.['64'];
  return p ? { ek: fromHex(p.guek), ak: fromHex(p.gak) } : undefined;
}

function hexOf(d: Data): { bytes?: string } {
  try {
    return { bytes: toHex(encodeData(d)) };
  } catch {
    return {};
  }
}

function outcome(findings: NetworkFinding[], detail: string): CheckOutcome {
  const status: CheckStatus = findings.some((f) => f.severity === 'error')
    ? 'fail'
    : findings.some((f) => f.severity === 'warning')
      ? 'warn'
      : 'pass';
  return { id: 'push', title: 'push format and ciphering', status, findings, detail };
}

/** Checks one pushed APDU (see the module doc). Never throws for what the APDU holds. */
export function checkPush(apdu: Uint8Array, options: CheckPushOptions = {}): CheckOutcome {
  const cat = is15959Catalogue(options.variant ?? DEFAULT_SIMULATOR_VARIANT);
  const required = cat.associations.find((a) => a.clientSap === 64)?.securityPolicy ?? 'none';
  const all = toHex(apdu);
  const findings: NetworkFinding[] = [];
  const keys = keysOf(options.keys);
  const tag = apdu[0];
  let plain: Uint8Array = apdu;
  let policy: SecurityPolicy | 'none' = 'none';
  const ciphered =
    tag === GENERAL_GLO_CIPHERING || tag === GENERAL_DED_CIPHERING || tag === GENERAL_CIPHERING;
  if (ciphered) {
    try {
      const env = decodeCipheredApdu(apdu) as { securityControl?: Parameters<typeof policyOf>[0] };
      policy = (env.securityControl && policyOf(env.securityControl)) ?? 'none';
    } catch (e) {
      findings.push(pushFormat(`the ciphered push does not decode: ${(e as Error).message}`, 'push', all));
      return outcome(findings, `${apdu.length} bytes`);
    }
    if (!keys) {
      return {
        id: 'push',
        title: 'push format and ciphering',
        status: 'skip',
        findings: [],
        detail: `the push is ciphered (${policy}): the Push association keys are needed (--keys)`,
      };
    }
    try {
      plain = unprotectApdu(apdu, keys, {
        systemTitle: options.systemTitle,
        acceptPolicies: ['auth', 'enc', 'auth+enc'],
      }).plain;
    } catch (e) {
      findings.push({
        id: 'read-failed',
        severity: 'error',
        message: `the push cannot be deciphered with the Push association keys: ${isDlmsError(e) ? `${e.code} ` : ''}${(e as Error).message}`,
        path: 'push',
        bytes: all,
      });
      return outcome(findings, `${apdu.length} bytes, ${policy}`);
    }
  }
  if (RANK[policy] < RANK[required] || (required === 'enc' && policy === 'auth')) {
    findings.push({
      id: 'push-ciphering',
      severity: 'error',
      message:
        policy === 'none'
          ? `the push is a plain data-notification; the IS 15959 Push association requires ${required}`
          : `the push is ciphered with ${policy}; the IS 15959 Push association requires ${required}`,
      path: 'push',
      bytes: all,
    });
  }

  let body: Data;
  try {
    const x = decodeXdlmsApdu(plain);
    if (x.type !== 'data-notification') {
      findings.push(pushFormat(`the push is ${x.type}, not a data-notification`, 'push', toHex(plain)));
      return outcome(findings, `${apdu.length} bytes`);
    }
    body = x.notificationBody;
  } catch (e) {
    const hint =
      policy === 'enc'
        ? ' (the push is encrypted without authentication: a wrong key cannot be detected and gives bytes like these)'
        : '';
    findings.push(
      pushFormat(`the push does not decode: ${(e as Error).message}${hint}`, 'push', toHex(plain)),
    );
    return outcome(findings, `${apdu.length} bytes`);
  }
  if (body.type !== 'structure' || body.value.length < 3) {
    findings.push(
      pushFormat(
        'the body must be a structure { device ID, push setup logical name, clock, …values }',
        'push.body',
        hexOf(body).bytes,
      ),
    );
    return outcome(findings, `${apdu.length} bytes`);
  }
  const v = body.value;
  const ln = v[1]!;
  if (ln.type !== 'octet-string' || ln.value.length !== 6) {
    findings.push(
      pushFormat(
        `element 2 must be the push setup logical name (octet-string of 6), got ${ln.type}`,
        'push.body[1]',
        hexOf(ln).bytes,
      ),
    );
    return outcome(findings, `${apdu.length} bytes`);
  }
  const setup = formatObis(parseObis(ln.value));
  const def = cat.pushSetups.find((p) => p.obis === setup);
  const at = (i: number) => `push[${setup}].body[${i}]`;
  if (!def) {
    findings.push(pushFormat(`push setup ${setup} is not an IS 15959 push setup`, at(1), hexOf(ln).bytes));
    return outcome(findings, `${apdu.length} bytes`);
  }
  findings.push(...checkValue(objectDef('deviceId'), v[0]!, at(0)));
  findings.push(...checkValue(objectDef('timestamp'), v[2]!, at(2)));

  // The values after the clock, by position.
  const configured = options.pushObjectLists?.[setup];
  let expected: { obis: string; attribute: number }[];
  if (configured) {
    expected = configured
      .slice(3)
      .map((c) => ({ obis: formatObis(c.logicalName), attribute: c.attributeIndex }));
  } else if (def.profile === 'alert') {
    expected = [];
  } else {
    const co = profileCaptureObjects(cat.profiles[def.profile]);
    const values = co.length > 0 && formatObis(co[0]!.logicalName) === '0.0.1.0.0.255' ? co.slice(1) : co;
    expected = values.map((c) => ({ obis: formatObis(c.logicalName), attribute: c.attributeIndex }));
  }
  const got = v.slice(3);
  if (def.profile === 'alert' && !configured) {
    const e = got[0];
    if (got.length !== 1 || e?.type !== 'bit-string') {
      findings.push(
        pushFormat(
          `the alert push body is { device ID, logical name, clock, ESW bit-string }, got ${got.length} values${e ? ` (first ${e.type})` : ''}`,
          at(3),
          hexOf(body).bytes,
        ),
      );
    }
  } else if (!(got.length === 1 && got[0]!.type === 'array')) {
    if (got.length !== expected.length) {
      findings.push(
        pushFormat(
          `the ${def.profile} push carries ${got.length} values after its clock, ${expected.length} configured`,
          `push[${setup}].body`,
          hexOf(body).bytes,
        ),
      );
    }
    for (let i = 0; i < Math.min(got.length, expected.length); i++) {
      const d = objectDefFor(expected[i]!.obis, expected[i]!.attribute);
      if (d) findings.push(...checkValue(d, got[i]!, at(3 + i)));
    }
  }
  // decodePush must read it into rows too.
  try {
    const mapping: Record<string, PushProfileMapping> | undefined = configured
      ? { [setup]: { profile: def.profile, pushObjectList: configured } }
      : undefined;
    decodePush(plain, {
      catalogue: cat,
      ...(mapping ? { mapping } : {}),
    });
  } catch (e) {
    if (!findings.some((f) => f.id === 'push-format')) {
      findings.push(
        pushFormat(`decodePush refuses it: ${(e as Error).message}`, `push[${setup}]`, toHex(plain)),
      );
    }
  }
  return outcome(
    findings,
    `${setup} (${def.profile}), ${got.length} values, ${policy === 'none' ? 'plain' : policy}, ${apdu.length} bytes: ${all}`,
  );
}

function pushFormat(message: string, path: string, bytes?: string): NetworkFinding {
  return bytes === undefined
    ? { id: 'push-format', severity: 'error', message, path }
    : { id: 'push-format', severity: 'error', message, path, bytes };
}

export interface ListenForPushOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 for an ephemeral port (see `onListening`). */
  port: number;
  /** How long to wait for a push (default 15 000 ms); then `TIMEOUT`. */
  timeoutMs?: number;
  /** Called with the port once listening. */
  onListening?: (port: number) => void;
}

/**
 * Listens (IEC 62056-47 wrapper over TCP) for one push and returns its APDU; stops listening after it,
 * or after `timeoutMs` with a `TIMEOUT` error. Frames larger than the wrapper allows are refused by the
 * deframer; a connection that sends nothing whole is just closed when the time is up.
 */
export function listenForPush(options: ListenForPushOptions): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise<Uint8Array>((resolve, reject) => {
    let done = false;
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      const d = new WrapperDeframer();
      s.on('data', (chunk) => {
        if (done) return;
        for (const r of d.push(chunk)) {
          if (r.kind === 'frame') {
            finish(undefined, r.frame.apdu.slice());
            return;
          }
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    const timer = setTimeout(
      () => finish(new DlmsError('TIMEOUT', `no push arrived within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function finish(e: Error | undefined, apdu?: Uint8Array) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      server.close();
      if (e) reject(e);
      else resolve(apdu!);
    }
    server.on('error', (e) => finish(e));
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      const a = server.address();
      options.onListening?.(typeof a === 'object' && a ? a.port : options.port);
    });
  });
}
