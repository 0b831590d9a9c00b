/**
 * The IEC 61968-100 message envelope: typed RequestMessage / ResponseMessage / EventMessage / FaultMessage,
 * the namespaces of the editions, and helpers (`newMessageId`, `replyTo`).
 *
 * Property names are the schema's element names (`msg.Header.Noun`), so the model, the XML and the JSON form
 * line up and error paths read like XPath. `kind` is the root element name.
 *
 * Editions: Ed.1 (IEC 61968-100:2013, `http://iec.ch/TC57/2011/schema/message`) is the default. Ed.2
 * (IEC 61968-100:2022, `http://iec.ch/TC57/2021/schema/message`) changes the envelope namespace and makes
 * every profile root a member of the `part100:AbstractPayload` substitution group; an instance document
 * still carries the profile element itself inside `Payload`, so the same model serves both. The Ed.2
 * `Message.xsd` is not public; we write Ed.2 by namespace only.
 *
 * @module
 */
import type { PayloadProfiles, RequestProfiles } from '../profiles/index.ts';
import type { Infer } from '../profiles/schema.ts';
import type {
  PayloadType as _PayloadType,
  ErrorType,
  HeaderType,
  OperationSetType,
  OperationType,
  ReplyType,
  RequestType,
} from './schema.ts';

export * from './schema.ts';

/** Ed.1 (IEC 61968-100:2013, FDIS 2012) message namespace. */
export const MESSAGE_NS_ED1 = 'http://iec.ch/TC57/2011/schema/message';
/** Ed.2 (IEC 61968-100:2022) message namespace. */
export const MESSAGE_NS_ED2 = 'http://iec.ch/TC57/2021/schema/message';
/** The pre-standard 2011 draft namespace (with "www."), refused by default. */
export const MESSAGE_NS_DRAFT_2011 = 'http://www.iec.ch/TC57/2011/schema/message';

export type Edition = 'ed1' | 'ed2';

/** The message namespace of an edition. */
export function messageNamespace(edition: Edition = 'ed1'): string {
  return edition === 'ed2' ? MESSAGE_NS_ED2 : MESSAGE_NS_ED1;
}

export type Header = Infer<typeof HeaderType>;
export type Request = Infer<typeof RequestType> & RequestProfiles;
export type ReplyError = Infer<typeof ErrorType>;
export type Reply = Infer<typeof ReplyType>;
export type Operation = Infer<typeof OperationType> & PayloadProfiles;
export type OperationSet = Omit<Infer<typeof OperationSetType>, 'Operation'> & { Operation?: Operation[] };
export type Payload = Omit<Infer<typeof _PayloadType>, 'OperationSet'> & {
  OperationSet?: OperationSet;
} & PayloadProfiles;

export interface RequestMessage {
  kind: 'RequestMessage';
  Header: Header;
  Request?: Request;
  Payload?: Payload;
}
export interface ResponseMessage {
  kind: 'ResponseMessage';
  Header: Header;
  Reply: Reply;
  Payload?: Payload;
}
export interface EventMessage {
  kind: 'EventMessage';
  Header: Header;
  Payload?: Payload;
}
/** Sent when the incoming message (even its Header) could not be parsed. */
export interface FaultMessage {
  kind: 'FaultMessage';
  Reply: Reply;
}
export type Message = RequestMessage | ResponseMessage | EventMessage | FaultMessage;
export type MessageKind = Message['kind'];
export const MESSAGE_KINDS: readonly MessageKind[] = [
  'RequestMessage',
  'ResponseMessage',
  'EventMessage',
  'FaultMessage',
];

/** A fresh MessageID: a random UUID (v4) from the platform's `crypto.randomUUID` (Node ≥ 19, browsers). */
export function newMessageId(): string {
  return globalThis.crypto.randomUUID();
}

/** The current time as an `xs:dateTime` in UTC with milliseconds, e.g. `2024-04-01T10:00:00.000Z`. */
export function nowTimestamp(): string {
  return new Date().toISOString();
}

export interface ReplyOptions {
  result: Reply['Result'];
  errors?: ReplyError[];
  payload?: Payload;
  /** Extra header fields (Source, Timestamp, …); Verb, Noun and CorrelationID are always set by `replyTo`. */
  header?: Partial<Header>;
  /** Give the reply a fresh MessageID (default true). */
  messageId?: boolean;
}

/**
 * Builds the ResponseMessage answering `request`: verb `reply`, the same noun, `CorrelationID` = the
 * request's `MessageID` (or its CorrelationID when it has no MessageID), a new MessageID.
 */
export function replyTo(request: RequestMessage, options: ReplyOptions): ResponseMessage {
  const correlation = request.Header.MessageID ?? request.Header.CorrelationID;
  const Header: Header = {
    ...options.header,
    Verb: 'reply',
    Noun: request.Header.Noun,
  };
  if (options.messageId !== false) Header.MessageID = newMessageId();
  if (correlation !== undefined) Header.CorrelationID = correlation;
  const Reply: Reply = { Result: options.result };
  if (options.errors && options.errors.length > 0) Reply.Error = options.errors;
  const msg: ResponseMessage = { kind: 'ResponseMessage', Header: orderHeader(Header), Reply };
  if (options.payload) msg.Payload = options.payload;
  return msg;
}

/** Request verbs (present tense) and the event verbs (past tense) they produce. */
export const EVENT_VERB_OF: Readonly<Record<string, string>> = {
  create: 'created',
  change: 'changed',
  cancel: 'canceled',
  close: 'closed',
  delete: 'deleted',
  execute: 'executed',
};

function orderHeader(h: Header): Header {
  // Keep the schema order of keys so JSON output reads like the XML.
  const order = [
    'Verb',
    'Noun',
    'Revision',
    'ReplayDetection',
    'Context',
    'Timestamp',
    'Source',
    'AsyncReplyFlag',
    'ReplyAddress',
    'AckRequired',
    'User',
    'MessageID',
    'CorrelationID',
    'Comment',
    'Property',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of order) if (h[k] !== undefined) out[k] = h[k];
  return out as Header;
}
