/**
 * The shapes other implementations wrap an IEC 61968-100 message in, reduced to the message itself before
 * decoding. Field practice (see `docs/cim-interop.md` for the public messages each case comes from):
 *
 * 1. **SOAP 1.1 / 1.2 envelopes.** 61968-100 Ed.1 §9.2 binds messages to document/literal SOAP: the message
 *    root is the single child of `soap:Body`. Captures and logs often keep the envelope. `soap:Header`
 *    blocks (WS-Addressing, WS-Security) are transport metadata, not message content: they are returned
 *    untouched beside the message, never decoded. A `soap:Fault` body is refused with its fault string.
 *
 * 2. **Strongly typed per-noun wrappers** (the WSDL pattern of 61968-100 Ed.1 and the 61968-9 WSDLs:
 *    `<tns:CreateEndDeviceControls xmlns:tns="http://iec.ch/TC57/2011/EndDeviceControlsMessage">`).
 *    `Header`, `Request`, `Reply` and `Payload` are elements of the wrapper namespace whose **children**
 *    are in the message namespace (types `msg:HeaderType`, `msg:RequestType`, `msg:ReplyType`), except
 *    the typed Payload (`<Noun>PayloadType` = `obj:<Noun>`, `OperationSet?`, `Compressed?`, `Format?`)
 *    whose own elements are in the wrapper namespace:
 *
 *    ```xml
 *    <xs:element name="CreateMeterReadings"          type="tns:MeterReadingsRequestMessageType"/>   <!-- Create|Change|Cancel|Close|Delete|Execute|Get -->
 *    <xs:element name="CreatedMeterReadings"         type="tns:MeterReadingsEventMessageType"/>     <!-- Created|Changed|Canceled|Closed|Deleted|Executed -->
 *    <xs:element name="MeterReadingsResponseMessage" type="tns:MeterReadingsResponseMessageType"/>
 *    <xs:element name="MeterReadingsFaultMessage"    type="tns:MeterReadingsFaultMessageType"/>
 *    <xs:element name="MeterReadingsRequestMessage"  type="tns:MeterReadingsRequestMessageType"/>
 *    ```
 *
 *    The wrapper namespace is `http://iec.ch/TC57/<year>/<Noun>Message`; the year varies between
 *    implementations (2011 in the Ed.1 WSDLs, 2017 in r0ckflite/cim4). The message namespace (and so the
 *    edition) is the one the Header's (or Reply's) children use.
 *
 * 3. **One operation element around the message inside a SOAP Body** (document/literal *wrapped* style,
 *    e.g. `<soap:Body><Request xmlns="…/schema/message"><RequestMessage>…`): accepted one level deep, only
 *    inside a SOAP Body, and only when the operation element holds exactly one element, a message.
 *
 * @module
 */
import { MESSAGE_KINDS, type MessageKind } from '../envelope/index.ts';
import { CimError } from '../errors.ts';
import type { XNode } from './tree.ts';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** How a decoded message was wrapped in the document it came in. */
export interface Wrapping {
  /** The SOAP version of the envelope the message came in. */
  soap?: '1.1' | '1.2';
  /** The `soap:Header` blocks, as parsed, not interpreted. */
  soapHeaders?: XNode[];
  /** A document/literal-wrapped operation element between `soap:Body` and the message. */
  operation?: { ns: string; local: string };
  /** The strongly typed per-noun wrapper element the message came as (e.g. `CreateEndDeviceControls`). */
  typed?: { ns: string; local: string; noun: string };
}

const TYPED_NS = /^https?:\/\/(?:www\.)?iec\.ch\/TC57\/\d{4}\/([A-Za-z][A-Za-z0-9]*)Message$/;
const REQUEST_VERBS = ['Create', 'Change', 'Cancel', 'Close', 'Delete', 'Execute', 'Get'];
const EVENT_VERBS = ['Created', 'Changed', 'Canceled', 'Closed', 'Deleted', 'Executed'];
const SUFFIX_KIND: Record<string, MessageKind> = {
  RequestMessage: 'RequestMessage',
  ResponseMessage: 'ResponseMessage',
  EventMessage: 'EventMessage',
  FaultMessage: 'FaultMessage',
};

function elementChildren(node: XNode): XNode[] {
  return node.children;
}

/** The message kind of a typed wrapper root, or undefined when `node` is not one. */
function typedKind(node: XNode): { kind: MessageKind; noun: string } | undefined {
  const m = TYPED_NS.exec(node.ns);
  if (!m) return undefined;
  const noun = m[1]!;
  const local = node.local;
  if (local.startsWith(noun)) {
    const kind = SUFFIX_KIND[local.slice(noun.length)];
    if (kind) return { kind, noun };
  }
  if (local.endsWith(noun)) {
    const verb = local.slice(0, local.length - noun.length);
    if (REQUEST_VERBS.includes(verb)) return { kind: 'RequestMessage', noun };
    if (EVENT_VERBS.includes(verb)) return { kind: 'EventMessage', noun };
  }
  return undefined;
}

/** The message namespace a typed wrapper uses: that of the Header's (or Reply's) first child. */
function innerMessageNs(wrapper: XNode): string | undefined {
  for (const name of ['Header', 'Reply', 'Request']) {
    for (const c of wrapper.children) {
      if (c.ns === wrapper.ns && c.local === name && c.children.length > 0) return c.children[0]!.ns;
    }
  }
  return undefined;
}

/** Rewrites a typed wrapper into the generic message shape (`{msgNs}RequestMessage` …). */
function fromTyped(wrapper: XNode, kind: MessageKind, msgNs: string): XNode {
  const children: XNode[] = [];
  for (const c of wrapper.children) {
    if (c.ns !== wrapper.ns) {
      children.push(c);
      continue;
    }
    if (c.local === 'Payload') {
      // Profile elements stay as they are; the typed Payload's own elements move to the message namespace.
      const inner = c.children.map((p) => (p.ns === wrapper.ns ? { ...p, ns: msgNs } : p));
      children.push({ ...c, ns: msgNs, children: inner });
    } else {
      children.push({ ...c, ns: msgNs });
    }
  }
  return { ns: msgNs, local: kind, attrs: wrapper.attrs, children, text: wrapper.text };
}

function isMessageRoot(node: XNode): boolean {
  return (MESSAGE_KINDS as readonly string[]).includes(node.local) && !TYPED_NS.test(node.ns);
}

/** Reduces a typed wrapper to the generic shape, or returns `node` unchanged. */
function untype(node: XNode, wrapping: Wrapping): XNode {
  const t = typedKind(node);
  if (!t) return node;
  const msgNs = innerMessageNs(node);
  if (msgNs === undefined) {
    throw new CimError(
      'MISSING_FIELD',
      `typed message wrapper ${node.local.slice(0, 60)} has no Header or Reply content`,
      { path: [node.local.slice(0, 60)] },
    );
  }
  wrapping.typed = { ns: node.ns, local: node.local, noun: t.noun };
  return fromTyped(node, t.kind, msgNs);
}

function soapFault(body: XNode, fault: XNode): never {
  let reason = '';
  for (const c of fault.children) {
    // SOAP 1.1: faultstring (unqualified); SOAP 1.2: Reason/Text.
    if (c.local === 'faultstring') reason = c.text.trim();
    if (c.local === 'Reason') reason = c.children.map((t) => t.text.trim()).join(' ');
  }
  throw new CimError(
    'INVALID_VALUE',
    `the SOAP Body is a SOAP Fault, not a message: ${reason.slice(0, 200)}`,
    {
      path: [body.local, 'Fault'],
    },
  );
}

/**
 * Returns the message root element inside `root` (itself when it already is one) and how it was wrapped.
 * Anything that is neither a message, a SOAP envelope nor a typed wrapper is returned unchanged, for the
 * decoder to refuse with its usual `WRONG_NAMESPACE` / `INVALID_VALUE`.
 */
export function unwrapMessage(root: XNode): { root: XNode; wrapping: Wrapping } {
  const wrapping: Wrapping = {};
  if ((root.ns === SOAP11_NS || root.ns === SOAP12_NS) && root.local === 'Envelope') {
    wrapping.soap = root.ns === SOAP11_NS ? '1.1' : '1.2';
    let body: XNode | undefined;
    for (const c of elementChildren(root)) {
      if (c.ns === root.ns && c.local === 'Header') wrapping.soapHeaders = c.children;
      else if (c.ns === root.ns && c.local === 'Body') body = c;
    }
    if (!body)
      throw new CimError('MISSING_FIELD', 'SOAP envelope without a Body', { path: ['Envelope', 'Body'] });
    if (body.children.length !== 1) {
      throw new CimError(
        'INVALID_VALUE',
        `the SOAP Body holds ${body.children.length} elements; a 61968-100 message binding has exactly one`,
        { path: ['Envelope', 'Body'] },
      );
    }
    let inner = body.children[0]!;
    if (inner.ns === root.ns && inner.local === 'Fault') soapFault(body, inner);
    if (!isMessageRoot(inner) && !typedKind(inner) && inner.children.length === 1) {
      const only = inner.children[0]!;
      if (isMessageRoot(only) || typedKind(only)) {
        wrapping.operation = { ns: inner.ns, local: inner.local };
        inner = only;
      }
    }
    return { root: untype(inner, wrapping), wrapping };
  }
  return { root: untype(root, wrapping), wrapping };
}
