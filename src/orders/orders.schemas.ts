import { type Static, Type } from 'typebox';
import { Email, Language, OrderPreferredChannel, Phone } from '../customers/customers.schemas.js';
import {
  Code,
  Cursor,
  Id,
  IsoDate,
  Limit,
  LineNumber,
  Name,
  NonNegativeInt,
  PageOf,
  Sku,
  Timestamp,
  UpdatedSince,
} from '../http/common-schemas.js';

const LineQuantity = Type.Integer({
  minimum: 1,
  maximum: 100_000,
  description: 'Units wanted: a whole number from 1 to 100,000',
});
const Confidence = Type.Union([Type.Literal('confirmed'), Type.Literal('estimated')]);

// The same fields and rules as POST /v1/customers, so a customer is valid whichever
// way it is created.
const Customer = Type.Object(
  {
    name: Name,
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferredChannel: Type.Optional(OrderPreferredChannel),
    language: Type.Optional(Language),
  },
  { additionalProperties: false },
);

const OrderLineInput = Type.Object(
  {
    sku: Sku,
    quantity: LineQuantity,
    acceptBackorder: Type.Optional(
      Type.Boolean({
        description:
          'Whether the customer takes a later delivery for what is not in stock (default false: such a line refuses the order)',
      }),
    ),
  },
  { additionalProperties: false },
);

const orderInput = {
  channel: Code,
  customer: Type.Optional(Customer),
  customerId: Type.Optional(
    Type.Integer({
      ...Id,
      description:
        'An existing customer (POST /v1/customers) instead of `customer`; give one or the other',
    }),
  ),
  lines: Type.Array(OrderLineInput, { minItems: 1, maxItems: 100 }),
  location: Type.Optional(
    Type.String({
      ...Code,
      description:
        "A sale at this location's counter: stock is taken from it alone (it must be one of the channel's locations); what is short is backordered from the channel's supply as usual",
    }),
  ),
  pickupLocation: Type.Optional(
    Type.String({
      ...Code,
      description:
        "Where the customer will collect the order (one of the channel's locations, for sale). Under the channel's closest_to_pickup strategy units are taken from it first, then from the locations nearest to it; under other strategies it is only recorded. Unlike `location` it does not restrict where stock comes from",
    }),
  ),
};

export const QuoteBody = Type.Object(orderInput, { additionalProperties: false });
export type QuoteBody = Static<typeof QuoteBody>;

export const PlaceOrderBody = Type.Object(
  {
    ...orderInput,
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Your own order number' }),
    ),
  },
  { additionalProperties: false },
);
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      'Required. A retry with the same key and body gets the first answer; the same key with another body is refused (422)',
  }),
});

const PromiseBasis = Type.Union([
  Type.Object({
    kind: Type.Literal('purchase_order'),
    purchaseOrderId: Type.Integer(),
    lineId: Type.Integer(),
    supplier: Type.String(),
    location: Type.String(),
    quantity: Type.Integer(),
    expectedDate: IsoDate,
    confidence: Confidence,
  }),
  Type.Object({
    kind: Type.Literal('transfer'),
    transferId: Type.Integer(),
    from: Type.String(),
    location: Type.String(),
    quantity: Type.Integer(),
    expectedDate: IsoDate,
    confidence: Confidence,
  }),
  Type.Object({
    kind: Type.Literal('lead_time'),
    supplier: Type.Union([Type.String(), Type.Null()]),
    leadTimeDays: Type.Union([Type.Integer(), Type.Null()]),
    quantity: Type.Integer(),
    expectedDate: IsoDate,
    confidence: Type.Literal('estimated'),
  }),
]);
export type PromiseBasis = Static<typeof PromiseBasis>;

const Promise_ = Type.Object({
  date: IsoDate,
  confidence: Confidence,
  restsOn: Type.Array(PromiseBasis),
});

const LineState = Type.Union(
  [
    Type.Literal('ready'),
    Type.Literal('awaiting_release'),
    Type.Literal('backordered'),
    Type.Literal('unpromised'),
    Type.Literal('fulfilled'),
    Type.Literal('cancelled'),
  ],
  {
    description:
      'ready: every open unit is reserved and can be fulfilled; awaiting_release: a preorder whose units are all reserved, shipping on the release date; backordered: some units wait for promised supply; unpromised: some units wait with no date (staff are told); fulfilled / cancelled: nothing open',
  },
);

const OrderLine = Type.Object({
  line: Type.Integer({ description: 'Line number, from 1' }),
  sku: Sku,
  quantity: Type.Integer(),
  acceptBackorder: Type.Boolean(),
  preorder: Type.Boolean(),
  state: LineState,
  allocated: NonNegativeInt,
  backordered: NonNegativeInt,
  fulfilled: NonNegativeInt,
  cancelled: NonNegativeInt,
  unpromised: NonNegativeInt,
  allocations: Type.Array(Type.Object({ location: Type.String(), quantity: Type.Integer() })),
  promise: Type.Union([Promise_, Type.Null()], {
    description: 'When the waiting units are promised for, and what the date rests on',
  }),
});
export type OrderLine = Static<typeof OrderLine>;

const OrderState = Type.Union(
  [
    Type.Literal('ready'),
    Type.Literal('waiting'),
    Type.Literal('fulfilled'),
    Type.Literal('cancelled'),
  ],
  {
    description:
      'waiting: some units wait for supply or for their release date; ready: all open units reserved; fulfilled: everything shipped or picked up (some lines may be cancelled); cancelled: every line cancelled',
  },
);

export const Order = Type.Object(
  {
    id: Type.Integer(),
    channel: Code,
    reference: Type.Union([Type.String(), Type.Null()]),
    pickupLocation: Type.Union([Code, Type.Null()], {
      description: 'The location the customer collects from, if the order named one',
    }),
    customer: Type.Union([
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        email: Type.Union([Type.String(), Type.Null()]),
        phone: Type.Union([Type.String(), Type.Null()]),
        preferredChannel: Type.String(),
      }),
      Type.Null(),
    ]),
    state: OrderState,
    lines: Type.Array(OrderLine),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Order' },
);
export type Order = Static<typeof Order>;

export const OrderParams = Type.Object({ id: Id });

export const ListOrdersQuery = Type.Object(
  {
    channel: Type.Optional(Code),
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "Only orders with exactly this reference (the shop's own order number)",
      }),
    ),
    updatedSince: Type.Optional(UpdatedSince),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListOrdersQuery = Static<typeof ListOrdersQuery>;
export const OrderPage = PageOf(Type.Ref('Order'));

const Alternative = Type.Ref('Alternative');

const QuoteLine = Type.Object({
  line: Type.Integer(),
  sku: Sku,
  quantity: Type.Integer(),
  outcome: Type.Union(
    [
      Type.Literal('in_stock'),
      Type.Literal('backorder'),
      Type.Literal('preorder'),
      Type.Literal('refused'),
    ],
    {
      description:
        'What placing this line would do, given acceptBackorder: ship from stock, backorder, preorder, or refuse the order',
    },
  ),
  state: Type.String({ description: 'The availability state for the quantity asked' }),
  reason: Type.String(),
  available: NonNegativeInt,
  incoming: NonNegativeInt,
  fromStock: Type.Array(Type.Object({ location: Type.String(), quantity: Type.Integer() })),
  backorder: Type.Union([
    Type.Object({
      quantity: Type.Integer(),
      date: IsoDate,
      confidence: Confidence,
      restsOn: Type.Array(PromiseBasis),
    }),
    Type.Null(),
  ]),
  alternatives: Type.Array(Alternative),
});
export type QuoteLine = Static<typeof QuoteLine>;

export const Quote = Type.Object({
  channel: Code,
  purchasable: Type.Boolean({ description: 'Whether placing this order now would succeed' }),
  lines: Type.Array(QuoteLine),
});
export type Quote = Static<typeof Quote>;

export const CancelBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            line: LineNumber,
            quantity: Type.Optional(
              Type.Integer({ ...LineQuantity, description: 'Default: everything still open' }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 100 },
      ),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false, description: 'Without lines, the whole order is cancelled' },
);
export type CancelBody = Static<typeof CancelBody>;

export const FulfilmentBody = Type.Object(
  {
    fulfilmentId: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Your id for this shipment or pickup; posting it again replays the result',
    }),
    kind: Type.Union([Type.Literal('shipment'), Type.Literal('pickup')]),
    lines: Type.Array(
      Type.Object(
        {
          line: LineNumber,
          quantity: LineQuantity,
          location: Type.Optional(
            Type.String({
              ...Code,
              description:
                "Ship from here: units the line has reserved elsewhere are re-allocated here first if they are free here (one of the order channel's locations)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type FulfilmentBody = Static<typeof FulfilmentBody>;

export const Fulfilment = Type.Object({
  fulfilmentId: Type.String(),
  orderId: Type.Integer(),
  kind: Type.String(),
  createdAt: Timestamp,
  lines: Type.Array(
    Type.Object({
      line: Type.Integer(),
      sku: Sku,
      location: Type.String(),
      quantity: Type.Integer(),
    }),
  ),
  order: Type.Ref('Order'),
});
export type Fulfilment = Static<typeof Fulfilment>;

export const PromiseChangeList = Type.Object({
  items: Type.Array(
    Type.Object({
      line: Type.Integer(),
      sku: Sku,
      oldDate: Type.Union([IsoDate, Type.Null()]),
      newDate: Type.Union([IsoDate, Type.Null()]),
      oldConfidence: Type.Union([Type.String(), Type.Null()]),
      newConfidence: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
      changedAt: Timestamp,
    }),
  ),
});
export type PromiseChangeList = Static<typeof PromiseChangeList>;

export const LostDemandQuery = Type.Object(
  {
    sku: Type.Optional(Sku),
    channel: Type.Optional(Code),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type LostDemandQuery = Static<typeof LostDemandQuery>;

export const LostDemandPage = PageOf(
  Type.Object({
    sku: Sku,
    channel: Code,
    quantity: Type.Integer(),
    state: Type.String(),
    available: Type.Integer(),
    at: Timestamp,
  }),
);
