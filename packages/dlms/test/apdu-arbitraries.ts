/**
 * fast-check arbitraries for the xDLMS service APDU models (GET, SET, ACTION, ACCESS, notifications, GBT). Every
 * generated value is encodable and decodes back deep-equal (unnamed enumeration values are generated as
 * numbers only where the standard names none, so the decoder gives the same form back).
 */
import fc from 'fast-check';
import {
  ACTION_RESULTS,
  type AccessRequest,
  type AccessRequestSpecification,
  type AccessResponse,
  type AccessResponseSpecification,
  type ActionResult,
  type CosemAttributeDescriptor,
  type CosemAttributeDescriptorWithSelection,
  type CosemMethodDescriptor,
  DATA_ACCESS_RESULTS,
  type DataAccessResult,
  type DataBlockSA,
  type GetDataResult,
  type InvokeIdAndPriority,
  type LongInvokeIdAndPriority,
  type SelectiveAccessDescriptor,
  type XdlmsServiceApdu,
} from '../src/apdu/index.ts';
import type { Data } from '../src/axdr/index.ts';
import { arbCosemDateTime, arbData, arbObis } from './arbitraries.ts';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max = 64) => fc.uint8Array({ maxLength: max });

export const arbInvokeIdAndPriority: fc.Arbitrary<InvokeIdAndPriority> = fc
  .record({
    invokeId: fc.integer({ min: 0, max: 15 }),
    serviceClass: fc.constantFrom('confirmed' as const, 'unconfirmed' as const),
    priority: fc.constantFrom('high' as const, 'normal' as const),
    reserved: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ reserved, ...x }) => (reserved === 0 ? x : { ...x, reserved }));

export const arbLongInvokeIdAndPriority: fc.Arbitrary<LongInvokeIdAndPriority> = fc
  .record({
    longInvokeId: fc.integer({ min: 0, max: 0xffffff }),
    selfDescriptive: fc.constantFrom('self-descriptive' as const, 'not-self-descriptive' as const),
    processingOption: fc.constantFrom('break-on-error' as const, 'continue-on-error' as const),
    serviceClass: fc.constantFrom('confirmed' as const, 'unconfirmed' as const),
    priority: fc.constantFrom('high' as const, 'normal' as const),
    reserved: fc.integer({ min: 0, max: 15 }),
  })
  .map(({ reserved, ...x }) => (reserved === 0 ? x : { ...x, reserved }));

const named = <T extends Record<string, number>>(t: T): fc.Arbitrary<string | number> => {
  const values = new Set(Object.values(t));
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...Object.keys(t)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).filter((v) => !values.has(v)) },
  );
};
export const arbDataAccessResult = named(DATA_ACCESS_RESULTS) as fc.Arbitrary<DataAccessResult>;
export const arbActionResult = named(ACTION_RESULTS) as fc.Arbitrary<ActionResult>;

export const arbAttribute: fc.Arbitrary<CosemAttributeDescriptor> = fc.record({
  classId: fc.integer({ min: 0, max: 0xffff }),
  instanceId: arbObis,
  attributeId: fc.integer({ min: -128, max: 127 }),
});

export const arbMethod: fc.Arbitrary<CosemMethodDescriptor> = fc.record({
  classId: fc.integer({ min: 0, max: 0xffff }),
  instanceId: arbObis,
  methodId: fc.integer({ min: -128, max: 127 }),
});

const smallData: fc.Arbitrary<Data> = arbData;

export const arbSelectiveAccess: fc.Arbitrary<SelectiveAccessDescriptor> = fc.record({
  accessSelector: fc.integer({ min: 0, max: 255 }),
  accessParameters: smallData,
});

const optSel = fc.option(arbSelectiveAccess, { nil: undefined, freq: 2 });

export const arbAttributeWithSelection: fc.Arbitrary<CosemAttributeDescriptorWithSelection> = fc
  .record({ attribute: arbAttribute, accessSelection: optSel })
  .map(({ accessSelection, attribute }) =>
    accessSelection ? { attribute, accessSelection } : { attribute },
  );

export const arbGetDataResult: fc.Arbitrary<GetDataResult> = fc.oneof(
  smallData.map((data) => ({ data })),
  arbDataAccessResult.map((dataAccessResult) => ({ dataAccessResult })),
);

export const arbDataBlockSA: fc.Arbitrary<DataBlockSA> = fc.record({
  lastBlock: fc.boolean(),
  blockNumber: u32,
  rawData: bytes(300),
});

const iid = arbInvokeIdAndPriority;
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });

function withOptional<T extends object>(x: T, key: string, v: unknown): T {
  return v === undefined ? x : ({ ...x, [key]: v } as T);
}

export const arbAccessRequestSpecification: fc.Arbitrary<AccessRequestSpecification> = fc.oneof(
  fc.record({ type: fc.constant('access-request-get' as const), attribute: arbAttribute }),
  fc.record({ type: fc.constant('access-request-set' as const), attribute: arbAttribute }),
  fc.record({ type: fc.constant('access-request-action' as const), method: arbMethod }),
  fc.record({
    type: fc.constant('access-request-get-with-selection' as const),
    attribute: arbAttribute,
    accessSelection: arbSelectiveAccess,
  }),
  fc.record({
    type: fc.constant('access-request-set-with-selection' as const),
    attribute: arbAttribute,
    accessSelection: arbSelectiveAccess,
  }),
);

export const arbAccessResponseSpecification: fc.Arbitrary<AccessResponseSpecification> = fc.oneof(
  fc.record({ type: fc.constant('access-response-get' as const), result: arbDataAccessResult }),
  fc.record({ type: fc.constant('access-response-set' as const), result: arbDataAccessResult }),
  fc.record({ type: fc.constant('access-response-action' as const), result: arbActionResult }),
);

/** An access-request: one Data per specification, as the standard requires. */
export const arbAccessRequest: fc.Arbitrary<AccessRequest> = fc
  .record({
    longInvokeIdAndPriority: arbLongInvokeIdAndPriority,
    dateTime: fc.option(arbCosemDateTime, { nil: undefined }),
    items: list(fc.tuple(arbAccessRequestSpecification, smallData)),
  })
  .map(({ longInvokeIdAndPriority, dateTime, items }) => ({
    ...withOptional({ type: 'access-request' as const, longInvokeIdAndPriority }, 'dateTime', dateTime),
    accessRequestSpecification: items.map(([s]) => s),
    accessRequestListOfData: items.map(([, d]) => d),
  }));

/** An access-response: one Data per result, and as many echoed specifications (when echoed). */
export const arbAccessResponse: fc.Arbitrary<AccessResponse> = fc
  .record({
    longInvokeIdAndPriority: arbLongInvokeIdAndPriority,
    dateTime: fc.option(arbCosemDateTime, { nil: undefined }),
    echo: fc.boolean(),
    items: list(fc.tuple(arbAccessRequestSpecification, smallData, arbAccessResponseSpecification)),
  })
  .map(({ longInvokeIdAndPriority, dateTime, echo, items }) => ({
    ...withOptional(
      withOptional({ type: 'access-response' as const, longInvokeIdAndPriority }, 'dateTime', dateTime),
      'accessRequestSpecification',
      echo ? items.map(([s]) => s) : undefined,
    ),
    accessResponseListOfData: items.map(([, d]) => d),
    accessResponseSpecification: items.map(([, , r]) => r),
  }));

export const arbAccessApdu: fc.Arbitrary<AccessRequest | AccessResponse> = fc.oneof(
  arbAccessRequest,
  arbAccessResponse,
);

export const arbServiceApdu: fc.Arbitrary<XdlmsServiceApdu> = fc.oneof(
  arbAccessRequest,
  arbAccessResponse,
  fc
    .record({ invokeIdAndPriority: iid, attribute: arbAttribute, accessSelection: optSel })
    .map(({ accessSelection, ...x }) =>
      withOptional({ type: 'get-request-normal' as const, ...x }, 'accessSelection', accessSelection),
    ),
  fc.record({ type: fc.constant('get-request-next' as const), invokeIdAndPriority: iid, blockNumber: u32 }),
  fc.record({
    type: fc.constant('get-request-with-list' as const),
    invokeIdAndPriority: iid,
    attributes: list(arbAttributeWithSelection),
  }),
  fc.record({
    type: fc.constant('get-response-normal' as const),
    invokeIdAndPriority: iid,
    result: arbGetDataResult,
  }),
  fc.record({
    type: fc.constant('get-response-with-datablock' as const),
    invokeIdAndPriority: iid,
    lastBlock: fc.boolean(),
    blockNumber: u32,
    result: fc.oneof(
      bytes(300).map((rawData) => ({ rawData })),
      arbDataAccessResult.map((dataAccessResult) => ({ dataAccessResult })),
    ),
  }),
  fc.record({
    type: fc.constant('get-response-with-list' as const),
    invokeIdAndPriority: iid,
    results: list(arbGetDataResult),
  }),
  fc
    .record({ invokeIdAndPriority: iid, attribute: arbAttribute, accessSelection: optSel, value: smallData })
    .map(({ accessSelection, value, ...x }) => ({
      ...withOptional({ type: 'set-request-normal' as const, ...x }, 'accessSelection', accessSelection),
      value,
    })),
  fc
    .record({
      invokeIdAndPriority: iid,
      attribute: arbAttribute,
      accessSelection: optSel,
      datablock: arbDataBlockSA,
    })
    .map(({ accessSelection, datablock, ...x }) => ({
      ...withOptional(
        { type: 'set-request-with-first-datablock' as const, ...x },
        'accessSelection',
        accessSelection,
      ),
      datablock,
    })),
  fc.record({
    type: fc.constant('set-request-with-datablock' as const),
    invokeIdAndPriority: iid,
    datablock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('set-request-with-list' as const),
    invokeIdAndPriority: iid,
    attributes: list(arbAttributeWithSelection),
    values: list(smallData),
  }),
  fc.record({
    type: fc.constant('set-request-with-list-and-first-datablock' as const),
    invokeIdAndPriority: iid,
    attributes: list(arbAttributeWithSelection),
    datablock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('set-response-normal' as const),
    invokeIdAndPriority: iid,
    result: arbDataAccessResult,
  }),
  fc.record({
    type: fc.constant('set-response-datablock' as const),
    invokeIdAndPriority: iid,
    blockNumber: u32,
  }),
  fc.record({
    type: fc.constant('set-response-last-datablock' as const),
    invokeIdAndPriority: iid,
    result: arbDataAccessResult,
    blockNumber: u32,
  }),
  fc.record({
    type: fc.constant('set-response-last-datablock-with-list' as const),
    invokeIdAndPriority: iid,
    results: list(arbDataAccessResult),
    blockNumber: u32,
  }),
  fc.record({
    type: fc.constant('set-response-with-list' as const),
    invokeIdAndPriority: iid,
    results: list(arbDataAccessResult),
  }),
  fc
    .record({
      invokeIdAndPriority: iid,
      method: arbMethod,
      parameters: fc.option(smallData, { nil: undefined }),
    })
    .map(({ parameters, ...x }) =>
      withOptional({ type: 'action-request-normal' as const, ...x }, 'parameters', parameters),
    ),
  fc.record({
    type: fc.constant('action-request-next-pblock' as const),
    invokeIdAndPriority: iid,
    blockNumber: u32,
  }),
  fc.record({
    type: fc.constant('action-request-with-list' as const),
    invokeIdAndPriority: iid,
    methods: list(arbMethod),
    parameters: list(smallData),
  }),
  fc.record({
    type: fc.constant('action-request-with-first-pblock' as const),
    invokeIdAndPriority: iid,
    method: arbMethod,
    pblock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('action-request-with-list-and-first-pblock' as const),
    invokeIdAndPriority: iid,
    methods: list(arbMethod),
    pblock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('action-request-with-pblock' as const),
    invokeIdAndPriority: iid,
    pblock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('action-response-normal' as const),
    invokeIdAndPriority: iid,
    response: fc
      .record({ result: arbActionResult, returnParameters: fc.option(arbGetDataResult, { nil: undefined }) })
      .map(({ result, returnParameters }) => withOptional({ result }, 'returnParameters', returnParameters)),
  }),
  fc.record({
    type: fc.constant('action-response-with-pblock' as const),
    invokeIdAndPriority: iid,
    pblock: arbDataBlockSA,
  }),
  fc.record({
    type: fc.constant('action-response-with-list' as const),
    invokeIdAndPriority: iid,
    responses: list(
      fc
        .record({
          result: arbActionResult,
          returnParameters: fc.option(arbGetDataResult, { nil: undefined }),
        })
        .map(({ result, returnParameters }) =>
          withOptional({ result }, 'returnParameters', returnParameters),
        ),
    ),
  }),
  fc.record({
    type: fc.constant('action-response-next-pblock' as const),
    invokeIdAndPriority: iid,
    blockNumber: u32,
  }),
  fc
    .record({
      time: fc.option(arbCosemDateTime, { nil: undefined }),
      attribute: arbAttribute,
      attributeValue: smallData,
    })
    .map(({ time, attribute, attributeValue }) => ({
      ...withOptional({ type: 'event-notification-request' as const }, 'time', time),
      attribute,
      attributeValue,
    })),
  fc
    .record({
      longInvokeIdAndPriority: arbLongInvokeIdAndPriority,
      dateTime: fc.option(arbCosemDateTime, { nil: undefined }),
      notificationBody: smallData,
    })
    .map(({ dateTime, notificationBody, ...x }) => ({
      ...withOptional({ type: 'data-notification' as const, ...x }, 'dateTime', dateTime),
      notificationBody,
    })),
  fc.record({
    type: fc.constant('general-block-transfer' as const),
    lastBlock: fc.boolean(),
    streaming: fc.boolean(),
    window: fc.integer({ min: 0, max: 63 }),
    blockNumber: fc.integer({ min: 0, max: 0xffff }),
    blockNumberAck: fc.integer({ min: 0, max: 0xffff }),
    blockData: bytes(300),
  }),
);
