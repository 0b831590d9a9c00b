/**
 * Streaming MeterReadings: write a message with any number of MeterReading elements as an async sequence of
 * XML chunks (meter by meter), and read one back yielding each MeterReading as soon as its end tag
 * arrives, without ever holding the whole document or its tree: only the current MeterReading's subtree
 * is built.
 *
 * ```ts
 * for await (const chunk of writeMeterReadingsStream(envelope, readings())) socket.write(chunk);
 * for await (const item of readMeterReadingsStream(response.body)) {
 *   if (item.kind === 'MeterReading') store(item.value);
 * }
 * ```
 *
 * The text written equals `toXml` of the same whole message (tested), and the reader accepts any prefixes
 * or default namespaces, like `fromXml`.
 *
 * Unknown elements follow `fromXml`'s `unknownElements` option, with the same default (`preserve`) and the
 * same `$any` shape: inside an item (a MeterReading, the Header, the Payload's other content) they are in
 * that item's `$any` arrays; directly inside MeterReadings, or in the message root after the Payload, each
 * one is yielded as an `unknown` item as soon as it ends. Reassembled, the items are what `fromXml` returns.
 * Memory stays bounded: an unknown element is held only while its own item is built, within
 * `maxItemElements`.
 *
 * @module
 */
import {
  type Edition,
  type EventMessage,
  MESSAGE_TYPES,
  type Message,
  type MessageKind,
  type Payload,
  PayloadType,
  type RequestMessage,
  type ResponseMessage,
} from '../envelope/index.ts';
import { CimError, withPath } from '../errors.ts';
import {
  type EndDeviceEventTypeInfo,
  type MeterReading,
  type MeterReadings,
  MeterReadingsNamespace,
  MeterReadingsType,
  profileByElement,
  type ReadingQualityTypeInfo,
  type ReadingTypeInfo,
} from '../profiles/index.ts';
import type { AnyElement, ComplexType, ElementField } from '../profiles/schema.ts';
import { type DecodeOptions, decodeComplex, editionOf, toAnyElement } from './decode.ts';
import { emitComplex, emitField, openRoot, StringSink, type XmlWriteOptions } from './encode.ts';
import { decodeText } from './text.ts';
import { XmlTokenizer } from './tokenizer.ts';
import { type NsScope, openScope, resolveName, rootScope, type XNode } from './tree.ts';

type Envelope =
  | Omit<RequestMessage, 'Payload'>
  | Omit<ResponseMessage, 'Payload'>
  | Omit<EventMessage, 'Payload'>;

export interface StreamWriteOptions extends XmlWriteOptions {
  /** Reference data written around the readings (EndDeviceEventType before, the others after, in schema order). */
  referenceData?: Omit<MeterReadings, 'MeterReading'>;
  /** Payload.Format, if any. */
  format?: string;
  /** MeterReading elements per yielded chunk (default 1). */
  batch?: number;
}

function field(type: ComplexType, name: string): ElementField {
  for (const f of type.fields) if (f.t !== 'profiles' && f.n === name) return f;
  throw new Error(`no field ${name} in ${type.name}`);
}

/**
 * Writes `envelope` with a Payload holding one MeterReadings whose MeterReading elements come from
 * `readings`, yielding XML text chunks. Memory stays bounded by one batch of readings.
 */
export async function* writeMeterReadingsStream(
  envelope: Envelope,
  readings: Iterable<MeterReading> | AsyncIterable<MeterReading>,
  options: StreamWriteOptions = {},
): AsyncGenerator<string, void, undefined> {
  const sink = new StringSink(options.pretty ?? false, 0, options.declaration ?? true);
  const kind = envelope.kind;
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind];
  if (!type || kind === ('FaultMessage' as string))
    throw new CimError('INVALID_ARGUMENT', `cannot stream a ${String(kind)}`);
  const profilePrefix = options.profilePrefix ?? 'm';
  const { ns, prefix, qname } = openRoot(sink, kind, options);
  const { Payload: _ignored, kind: _kind, ...head } = envelope as Envelope & { Payload?: unknown };
  emitComplex(sink, head as Record<string, unknown>, type, ns, prefix, { profilePrefix });
  const payloadQ = prefix === '' ? 'Payload' : `${prefix}:Payload`;
  const mrQ = profilePrefix === '' ? 'MeterReadings' : `${profilePrefix}:MeterReadings`;
  sink.open(ns, payloadQ, []);
  sink.open(MeterReadingsNamespace, mrQ, [
    [profilePrefix === '' ? 'xmlns' : `xmlns:${profilePrefix}`, MeterReadingsNamespace],
  ]);
  const ref = options.referenceData ?? {};
  const ctx = { profilePrefix };
  const emitList = (name: 'EndDeviceEventType' | 'ReadingQualityType' | 'ReadingType') => {
    const items = ref[name] as unknown[] | undefined;
    if (!items) return;
    const f = field(MeterReadingsType, name);
    withPath(name, () => {
      for (let i = 0; i < items.length; i++)
        withPath(i, () => emitField(sink, f, items[i], MeterReadingsNamespace, profilePrefix, ctx));
    });
  };
  emitList('EndDeviceEventType');
  const mrField = field(MeterReadingsType, 'MeterReading');
  const batch = Math.max(1, options.batch ?? 1);
  let index = 0;
  let inBatch = 0;
  for await (const r of readings) {
    const i = index++;
    withPath('MeterReading', () =>
      withPath(i, () => emitField(sink, mrField, r, MeterReadingsNamespace, profilePrefix, ctx)),
    );
    if (++inBatch >= batch) {
      inBatch = 0;
      const chunk = sink.take();
      if (chunk !== '') yield chunk;
    }
  }
  emitList('ReadingQualityType');
  emitList('ReadingType');
  sink.close(mrQ);
  if (options.format !== undefined)
    sink.leaf(ns, prefix === '' ? 'Format' : `${prefix}:Format`, options.format, []);
  sink.close(payloadQ);
  sink.close(qname);
  const rest = sink.flush();
  if (rest !== '') yield rest;
}

/** What the streaming reader yields, in document order. */
export type MeterReadingsStreamItem =
  /** The message without its Payload: Header, and Request or Reply. Comes before any reading. */
  | { kind: 'envelope'; message: Message; edition: Edition }
  | { kind: 'MeterReading'; value: MeterReading; index: number }
  | { kind: 'EndDeviceEventType'; value: EndDeviceEventTypeInfo; index: number }
  | { kind: 'ReadingQualityType'; value: ReadingQualityTypeInfo; index: number }
  | { kind: 'ReadingType'; value: ReadingTypeInfo; index: number }
  /** Payload content other than MeterReadings (Format, …, and the Payload's own `$any`), after the readings. */
  | { kind: 'payload'; value: Payload }
  /**
   * An element the descriptors do not know (kept with `unknownElements` `preserve`, the default, or `keep`),
   * read where no item encloses it: directly inside MeterReadings (`parent: 'MeterReadings'`), or in the
   * message root after the Payload (`parent: 'message'`; those before the Payload are in the envelope
   * item's `$any`). `fromXml` puts it, in the same order, in that parent's `$any`; `index` counts per parent.
   */
  | { kind: 'unknown'; parent: 'MeterReadings' | 'message'; value: AnyElement; index: number };

export interface StreamReadOptions extends DecodeOptions {
  /** Largest single token, in characters (default 16 Mi). */
  maxTokenLength?: number;
  /** Maximum nesting depth (default 64). */
  maxDepth?: number;
  /** Maximum elements in one captured subtree (a Header, one MeterReading…), default 1,000,000. */
  maxItemElements?: number;
}

interface Frame {
  scope: NsScope;
  ns: string;
  local: string;
}

/**
 * Reads a MeterReadings message from text or UTF-8 byte chunks, yielding the envelope, then each
 * MeterReading (and reference-data item) as it completes. Errors are the same typed errors as `fromXml`,
 * with paths such as `Payload.MeterReadings.MeterReading[41].IntervalBlocks[0].ReadingType`.
 *
 * Documents `fromXml` reads but this reader refuses, because it yields the envelope when the Payload
 * starts: a Request or Reply after the Payload (out of schema order) is `UNSUPPORTED`; a Header after it
 * is `MISSING_FIELD` (the envelope had none). A second Payload or MeterReadings is `INVALID_VALUE`, as in
 * `fromXml`.
 */
export async function* readMeterReadingsStream(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: StreamReadOptions = {},
): AsyncGenerator<MeterReadingsStreamItem, void, undefined> {
  const tok = new XmlTokenizer({ maxTokenLength: options.maxTokenLength, maxDepth: options.maxDepth });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const maxItem = options.maxItemElements ?? 1_000_000;
  // Same rule as decodeComplex: keep unknown elements unless told to skip them.
  const keep = options.unknownElements !== 'skip';
  const keepUnknownProfiles = options.unknownElements === 'keep';
  const frames: Frame[] = [];
  let msgNs = '';
  let kind: MessageKind | undefined;
  let edition: Edition = 'ed1';
  const envelopeRoot: XNode = { ns: '', local: '', attrs: [], children: [], text: '' };
  const payloadRest: XNode = { ns: '', local: 'Payload', attrs: [], children: [], text: '' };
  let envelopeSent = false;
  let sawPayload = false;
  let sawMeterReadings = false;
  // Capture state: the subtree being built, and the depth where it started.
  let capture: XNode[] = [];
  let captureDepth = 0;
  let captureCount = 0;
  // Elements held for the envelope and for the rest of the Payload: those items are emitted late (at the
  // Payload, at the end), so their sizes are counted over all their subtrees, not per subtree.
  let envelopeCount = 0;
  let payloadCount = 0;
  /**
   * Where the captured subtree goes: `envelope` (a child of the root before the Payload), `after` (a child
   * of the root after it), `payload` (a child of Payload other than MeterReadings), `mr` (a child of
   * MeterReadings).
   */
  let captureTarget: 'envelope' | 'after' | 'payload' | 'mr' = 'envelope';
  const counts: Record<string, number> = {};
  let unknownInMr = 0;
  let unknownInMessage = 0;

  const envelopeItem = (): MeterReadingsStreamItem => {
    envelopeSent = true;
    const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind!]!;
    const body = decodeComplex(envelopeRoot, type, msgNs, options);
    return { kind: 'envelope', message: { kind: kind!, ...body } as Message, edition };
  };

  const messageField = (local: string): boolean => {
    const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind!]!;
    for (const f of type.fields) if (f.t !== 'profiles' && f.n === local) return true;
    return false;
  };

  const handle = function* (tokens: ReturnType<XmlTokenizer['push']>): Generator<MeterReadingsStreamItem> {
    for (const t of tokens) {
      if (t.t === 'text') {
        if (capture.length > 0) {
          const top = capture[capture.length - 1]!;
          top.text += t.cdata ? t.raw : decodeText(t.raw, t.offset);
        }
        continue;
      }
      if (t.t === 'open') {
        const parent = frames.length > 0 ? frames[frames.length - 1]!.scope : rootScope();
        const { scope, attrs } = openScope(t.attrs, parent);
        const { ns, local } = resolveName(t.name, scope, false);
        const depth = frames.length + 1;
        if (capture.length > 0) {
          if (++captureCount > maxItem)
            throw new CimError('LIMIT_EXCEEDED', `an item has more than ${maxItem} elements`);
          const node: XNode = { ns, local, attrs, children: [], text: '' };
          capture[capture.length - 1]!.children.push(node);
          capture.push(node);
        } else if (depth === 1) {
          edition = editionOf(ns, options.editions);
          msgNs = ns;
          if (!(local in MESSAGE_TYPES)) {
            throw new CimError('INVALID_VALUE', `root element ${local.slice(0, 60)} is not a message`);
          }
          kind = local as MessageKind;
          envelopeRoot.ns = ns;
          envelopeRoot.local = local;
        } else if (depth === 2 && ns === msgNs && local === 'Payload') {
          if (sawPayload) {
            throw new CimError('INVALID_VALUE', 'Payload occurs more than once', { path: ['Payload'] });
          }
          sawPayload = true;
          payloadRest.ns = ns;
          if (!envelopeSent) yield envelopeItem();
        } else if (
          depth === 3 &&
          frames[1]?.local === 'Payload' &&
          ns === MeterReadingsNamespace &&
          local === 'MeterReadings'
        ) {
          if (sawMeterReadings) {
            throw new CimError('INVALID_VALUE', 'profile MeterReadings occurs more than once', {
              path: ['Payload', 'MeterReadings'],
            });
          }
          sawMeterReadings = true;
          // descend: its children are streamed
        } else {
          if (depth === 2 && sawPayload && ns === msgNs && messageField(local)) {
            // fromXml would read it (it accepts any order), but the envelope has already been yielded.
            throw new CimError(
              'UNSUPPORTED',
              `${local.slice(0, 60)} after the Payload: the streaming reader needs the envelope first (schema order); read this message with fromXml`,
              { path: [local.slice(0, 60)] },
            );
          }
          const node: XNode = { ns, local, attrs, children: [], text: '' };
          capture = [node];
          captureDepth = depth;
          captureCount = 1;
          captureTarget = depth === 2 ? (sawPayload ? 'after' : 'envelope') : depth === 3 ? 'payload' : 'mr';
        }
        if (t.selfClosing) {
          yield* closeElement(depth);
        } else {
          frames.push({ scope, ns, local });
        }
        continue;
      }
      // close
      const depth = frames.length;
      frames.pop();
      yield* closeElement(depth);
    }
  };

  const closeElement = function* (depth: number): Generator<MeterReadingsStreamItem> {
    if (capture.length > 0) {
      const node = capture.pop()!;
      if (capture.length > 0 || depth !== captureDepth) return;
      switch (captureTarget) {
        case 'envelope':
          envelopeCount += captureCount;
          if (envelopeCount > maxItem)
            throw new CimError('LIMIT_EXCEEDED', `the envelope has more than ${maxItem} elements`);
          envelopeRoot.children.push(node);
          return;
        case 'payload':
          payloadCount += captureCount;
          if (payloadCount > maxItem)
            throw new CimError('LIMIT_EXCEEDED', `the Payload has more than ${maxItem} elements`);
          if (node.ns !== msgNs && !keepUnknownProfiles) {
            // Refused now rather than after the readings (decodeComplex would refuse it at the end).
            const profile = profileByElement(node.local, 'payload');
            if (!profile || profile.namespace !== node.ns) {
              throw new CimError(
                'UNKNOWN_NOUN',
                `unknown profile element {${node.ns.slice(0, 100)}}${node.local.slice(0, 60)} in Payload`,
                { path: ['Payload', node.local.slice(0, 60)] },
              );
            }
          }
          payloadRest.children.push(node);
          return;
        case 'after':
          // Not a field of the message type (checked at its start tag): fromXml keeps it in the message's $any.
          if (keep) {
            yield {
              kind: 'unknown',
              parent: 'message',
              value: toAnyElement(node),
              index: unknownInMessage++,
            };
          }
          return;
        case 'mr': {
          const f =
            node.ns === MeterReadingsNamespace
              ? (MeterReadingsType as ComplexType).fields.find(
                  (x) => x.t !== 'profiles' && x.n === node.local,
                )
              : undefined;
          if (f && f.t === 'complex') {
            const index = counts[node.local] ?? 0;
            counts[node.local] = index + 1;
            const value = withPath('Payload', () =>
              withPath('MeterReadings', () =>
                withPath(node.local, () =>
                  withPath(index, () => decodeComplex(node, f.type, MeterReadingsNamespace, options)),
                ),
              ),
            );
            yield { kind: node.local, value, index } as MeterReadingsStreamItem;
          } else if (f) {
            // MeterReadingsType has only complex children; a leaf would need an item kind of its own.
            throw new CimError('UNSUPPORTED', `MeterReadings.${f.n} is not streamed`, {
              path: ['Payload', 'MeterReadings', f.n],
            });
          } else if (keep) {
            // MeterReadings has no profile slot: decodeComplex keeps any element it does not know.
            yield {
              kind: 'unknown',
              parent: 'MeterReadings',
              value: toAnyElement(node),
              index: unknownInMr++,
            };
          }
          return;
        }
      }
    }
    if (depth === 1) {
      if (!envelopeSent) yield envelopeItem();
      if (payloadRest.children.length > 0) {
        const value = withPath('Payload', () =>
          decodeComplex(payloadRest, PayloadType, msgNs, options),
        ) as Payload;
        yield { kind: 'payload', value };
      }
    }
  };

  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (e) {
        throw new CimError('MALFORMED_XML', 'input is not valid UTF-8', { cause: e });
      }
    }
    yield* handle(tok.push(text));
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch (e) {
    throw new CimError('MALFORMED_XML', 'input ends inside a UTF-8 sequence', { cause: e });
  }
  if (tail !== '') yield* handle(tok.push(tail));
  yield* handle(tok.end());
}
