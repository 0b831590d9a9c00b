/**
 * The people's view of the ACCESS service APDUs for `ami dlms decode` (the tree, not `--json`): the
 * standard keeps the specifications and their Data in two parallel lists, which is hard to read with
 * more than one item, so the tree pairs them, one line per request or result:
 *
 * ```text
 * decoded: access-request
 * ├─ longInvokeIdAndPriority …
 * └─ requests: 2
 *    ├─ [0] get class 8 0.0.1.0.0.255 attribute 2: null-data
 *    └─ [1] set class 1 0.0.96.1.0.255 attribute 2: octet-string 313233343536
 * ```
 *
 * Works on the JSON form (`apduToJson`) the capture module gives; anything that is not an ACCESS APDU, or
 * whose lists do not pair up, is returned unchanged.
 *
 * @module
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `get class 8 0.0.1.0.0.255 attribute 2`, `action class 70 0.0.96.3.10.255 method 1`. */
function describeSpecification(s: unknown): string {
  if (!isObject(s) || typeof s.type !== 'string') return 'unknown specification';
  const verb = s.type.replace(/^access-request-/, '');
  const d = isObject(s.attribute) ? s.attribute : isObject(s.method) ? s.method : undefined;
  if (d === undefined) return verb;
  const member = 'methodId' in d ? `method ${String(d.methodId)}` : `attribute ${String(d.attributeId)}`;
  return `${verb} class ${String(d.classId)} ${String(d.instanceId)} ${member}`;
}

function withSelection(s: unknown, data: unknown): unknown {
  if (!isObject(s) || !isObject(s.accessSelection)) return data;
  const sel = s.accessSelection;
  return {
    [`selection (selector ${String(sel.accessSelector)})`]: sel.accessParameters,
    data,
  };
}

/** The tree form of a decoded APDU: ACCESS APDUs with their lists paired, everything else as it is. */
export function readableApdu(decoded: unknown): unknown {
  if (!isObject(decoded)) return decoded;
  if (decoded.type === 'access-request') {
    const specs = decoded.accessRequestSpecification;
    const data = decoded.accessRequestListOfData;
    if (!Array.isArray(specs) || !Array.isArray(data) || specs.length !== data.length) return decoded;
    const requests: Json = {};
    specs.forEach((s, i) => {
      requests[`[${i}] ${describeSpecification(s)}`] = withSelection(s, data[i]);
    });
    const out: Json = { type: decoded.type, longInvokeIdAndPriority: decoded.longInvokeIdAndPriority };
    if (decoded.dateTime !== undefined) out.dateTime = decoded.dateTime;
    out[`requests: ${specs.length}`] = specs.length === 0 ? 'none' : requests;
    return out;
  }
  if (decoded.type === 'access-response') {
    const echoed = decoded.accessRequestSpecification;
    const data = decoded.accessResponseListOfData;
    const results = decoded.accessResponseSpecification;
    if (!Array.isArray(data) || !Array.isArray(results) || data.length !== results.length) return decoded;
    if (echoed !== undefined && (!Array.isArray(echoed) || echoed.length !== results.length)) return decoded;
    const items: Json = {};
    results.forEach((r, i) => {
      const kind = isObject(r) && typeof r.type === 'string' ? r.type.replace(/^access-response-/, '') : '?';
      const result = isObject(r) ? String(r.result) : '?';
      const request = Array.isArray(echoed) ? ` (${describeSpecification(echoed[i])})` : '';
      items[`[${i}] ${kind} ${result}${request}`] = Array.isArray(echoed)
        ? withSelection(echoed[i], data[i])
        : data[i];
    });
    const out: Json = { type: decoded.type, longInvokeIdAndPriority: decoded.longInvokeIdAndPriority };
    if (decoded.dateTime !== undefined) out.dateTime = decoded.dateTime;
    out[`results: ${results.length}${Array.isArray(echoed) ? ', with the request echoed' : ''}`] =
      results.length === 0 ? 'none' : items;
    return out;
  }
  return decoded;
}
