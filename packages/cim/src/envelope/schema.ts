/**
 * IEC 61968-100 Ed.1 (FDIS 2012, namespace `http://iec.ch/TC57/2011/schema/message`) message structure, as
 * descriptors (see `profiles/schema.ts`). Element order is the FDIS `Message.xsd` order.
 *
 * ```xml
 * RequestMessage  = Header, Request?, Payload?
 * ResponseMessage = Header, Reply, Payload?
 * EventMessage    = Header, Payload?
 * FaultMessage    = Reply
 * HeaderType  = Verb, Noun, Revision?, ReplayDetection? {Nonce, Created}, Context?, Timestamp?, Source?,
 *               AsyncReplyFlag?, ReplyAddress?, AckRequired?, User? {UserID, Organization?}, MessageID?,
 *               CorrelationID?, Comment?, Property* {Name, Value?}, xs:any ##other*
 * RequestType = StartTime?, EndTime?, Option* {name, value?}, ID*, xs:any ##other* (the Get profile)
 * ReplyType   = Result (OK|PARTIAL|FAILED), Error*, ID*, xs:any ##other*, operationId?
 * ErrorType   = code, level? (INFORM|WARNING|FATAL|CATASTROPHIC), reason?, details?, xpath? (QName),
 *               stackTrace?, Location? {node?, pipeline?, stage?}, ID?, relatedID?, object? (deprecated), operationId?
 * PayloadType = (xs:any ##other* | OperationSet | Compressed | ID*), Format?
 * OperationSet = enforceMsgSequence?, enforceTransactionalIntegrity?, Operation* {operationId, noun?, verb?,
 *               elementOperation?, xs:any ##other?}
 * ID          = xs:string with attributes idType?, idAuthority?, kind? (name|uuid|transaction|other), objectType?
 * ```
 *
 * Not modelled: the deprecated `Error.object`; foreign (`##other`) elements in Header and Reply are skipped
 * by the reader.
 *
 * @module
 */
import { complexType } from '../profiles/schema.ts';

/** Verbs of the Ed.1 FDIS `HeaderType.Verb` enumeration (the 2011 drafts' show/subscribe/… were removed). */
export const VERBS = [
  'cancel',
  'canceled',
  'change',
  'changed',
  'create',
  'created',
  'close',
  'closed',
  'delete',
  'deleted',
  'get',
  'reply',
  'execute',
  'executed',
] as const;
export type Verb = (typeof VERBS)[number];

/** `ReplyType.Result`. */
export const REPLY_RESULTS = ['OK', 'PARTIAL', 'FAILED'] as const;
export type ReplyResult = (typeof REPLY_RESULTS)[number];
/** Named constants for `Reply.Result`. */
export const ReplyResult = { OK: 'OK', PARTIAL: 'PARTIAL', FAILED: 'FAILED' } as const;

/** `ErrorType.level`. */
export const ERROR_LEVELS = ['INFORM', 'WARNING', 'FATAL', 'CATASTROPHIC'] as const;
export type ErrorLevel = (typeof ERROR_LEVELS)[number];
/** Named constants for `Error.level`. */
export const ErrorLevel = {
  INFORM: 'INFORM',
  WARNING: 'WARNING',
  FATAL: 'FATAL',
  CATASTROPHIC: 'CATASTROPHIC',
} as const;

export const ReplayDetectionType = complexType({
  name: 'ReplayDetection',
  fields: [
    { n: 'Nonce', t: 'string', req: true },
    { n: 'Created', t: 'dateTime', req: true },
  ],
} as const);

export const UserType = complexType({
  name: 'User',
  fields: [
    { n: 'UserID', t: 'string', req: true },
    { n: 'Organization', t: 'string' },
  ],
} as const);

export const MessagePropertyType = complexType({
  name: 'Property',
  fields: [
    { n: 'Name', t: 'string', req: true },
    { n: 'Value', t: 'string' },
  ],
} as const);

export const HeaderType = complexType({
  name: 'Header',
  fields: [
    { n: 'Verb', t: 'string', req: true, enum: VERBS, enumCode: 'UNKNOWN_VERB' },
    { n: 'Noun', t: 'string', req: true },
    { n: 'Revision', t: 'string' },
    { n: 'ReplayDetection', t: 'complex', type: ReplayDetectionType },
    { n: 'Context', t: 'string' },
    { n: 'Timestamp', t: 'dateTime' },
    { n: 'Source', t: 'string' },
    { n: 'AsyncReplyFlag', t: 'boolean' },
    { n: 'ReplyAddress', t: 'string' },
    { n: 'AckRequired', t: 'boolean' },
    { n: 'User', t: 'complex', type: UserType },
    { n: 'MessageID', t: 'string' },
    { n: 'CorrelationID', t: 'string' },
    { n: 'Comment', t: 'string' },
    { n: 'Property', t: 'complex', type: MessagePropertyType, many: true },
  ],
} as const);

export const OptionType = complexType({
  name: 'Option',
  fields: [
    { n: 'name', t: 'string', req: true },
    { n: 'value', t: 'string' },
  ],
} as const);

export const RequestType = complexType({
  name: 'Request',
  fields: [
    { n: 'StartTime', t: 'dateTime' },
    { n: 'EndTime', t: 'dateTime' },
    { n: 'Option', t: 'complex', type: OptionType, many: true },
    { n: 'ID', t: 'id', many: true },
    { n: '*', t: 'profiles', slot: 'request' },
  ],
} as const);

export const LocationType = complexType({
  name: 'Location',
  fields: [
    { n: 'node', t: 'string' },
    { n: 'pipeline', t: 'string' },
    { n: 'stage', t: 'string' },
  ],
} as const);

export const ErrorType = complexType({
  name: 'Error',
  fields: [
    { n: 'code', t: 'string', req: true },
    { n: 'level', t: 'string', enum: ERROR_LEVELS },
    { n: 'reason', t: 'string' },
    { n: 'details', t: 'string' },
    { n: 'xpath', t: 'qname' },
    { n: 'stackTrace', t: 'string' },
    { n: 'Location', t: 'complex', type: LocationType },
    { n: 'ID', t: 'id' },
    { n: 'relatedID', t: 'id' },
    { n: 'operationId', t: 'integer' },
  ],
} as const);

export const ReplyType = complexType({
  name: 'Reply',
  fields: [
    { n: 'Result', t: 'string', req: true, enum: REPLY_RESULTS },
    { n: 'Error', t: 'complex', type: ErrorType, many: true },
    { n: 'ID', t: 'id', many: true },
    { n: 'operationId', t: 'integer' },
  ],
} as const);

export const OperationType = complexType({
  name: 'Operation',
  fields: [
    { n: 'operationId', t: 'integer', req: true },
    { n: 'noun', t: 'string' },
    { n: 'verb', t: 'string' },
    { n: 'elementOperation', t: 'boolean' },
    { n: '*', t: 'profiles', slot: 'payload' },
  ],
} as const);

export const OperationSetType = complexType({
  name: 'OperationSet',
  fields: [
    { n: 'enforceMsgSequence', t: 'boolean' },
    { n: 'enforceTransactionalIntegrity', t: 'boolean' },
    { n: 'Operation', t: 'complex', type: OperationType, many: true },
  ],
} as const);

export const PayloadType = complexType({
  name: 'Payload',
  fields: [
    { n: '*', t: 'profiles', slot: 'payload' },
    { n: 'OperationSet', t: 'complex', type: OperationSetType },
    { n: 'Compressed', t: 'string' },
    { n: 'ID', t: 'id', many: true },
    { n: 'Format', t: 'string' },
  ],
} as const);

export const RequestMessageType = complexType({
  name: 'RequestMessage',
  fields: [
    { n: 'Header', t: 'complex', type: HeaderType, req: true },
    { n: 'Request', t: 'complex', type: RequestType },
    { n: 'Payload', t: 'complex', type: PayloadType },
  ],
} as const);

export const ResponseMessageType = complexType({
  name: 'ResponseMessage',
  fields: [
    { n: 'Header', t: 'complex', type: HeaderType, req: true },
    { n: 'Reply', t: 'complex', type: ReplyType, req: true },
    { n: 'Payload', t: 'complex', type: PayloadType },
  ],
} as const);

export const EventMessageType = complexType({
  name: 'EventMessage',
  fields: [
    { n: 'Header', t: 'complex', type: HeaderType, req: true },
    { n: 'Payload', t: 'complex', type: PayloadType },
  ],
} as const);

export const FaultMessageType = complexType({
  name: 'FaultMessage',
  fields: [{ n: 'Reply', t: 'complex', type: ReplyType, req: true }],
} as const);

/** Root element name → descriptor. */
export const MESSAGE_TYPES = {
  RequestMessage: RequestMessageType,
  ResponseMessage: ResponseMessageType,
  EventMessage: EventMessageType,
  FaultMessage: FaultMessageType,
} as const;
