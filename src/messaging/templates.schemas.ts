import { type Static, Type } from 'typebox';
import { MESSAGE_KINDS } from '../domain/customer-messages.js';
import { Timestamp } from '../http/common-schemas.js';

export const TemplateParams = Type.Object({
  kind: Type.String({
    pattern: '^[a-z][a-z0-9_]{0,63}$',
    description: `The message kind: ${MESSAGE_KINDS.join(', ')}`,
    examples: ['delay'],
  }),
});
export type TemplateParams = Static<typeof TemplateParams>;

export const LanguageQuery = Type.Object(
  {
    language: Type.Optional(
      Type.String({
        pattern: '^[a-z]{2,3}(-[A-Z]{2})?$',
        description:
          "The language of the template: what a customer with this language gets (a translation, else the built-in one, else the shop's language). Left out: the shop's language",
        examples: ['de'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type LanguageQuery = Static<typeof LanguageQuery>;

const parts = {
  subject: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'Mustache; rendered without HTML escaping, on one line',
  }),
  text: Type.String({
    minLength: 1,
    maxLength: 20_000,
    description: 'Plain-text email body, Mustache; rendered without HTML escaping',
  }),
  html: Type.String({
    minLength: 1,
    maxLength: 100_000,
    description: 'HTML email body, Mustache; {{value}} is HTML-escaped',
  }),
  sms: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'SMS body, Mustache; keep it under 320 characters once rendered',
  }),
};

export const PutTemplateBody = Type.Object(parts, { additionalProperties: false });
export type PutTemplateBody = Static<typeof PutTemplateBody>;

export const MessageTemplateDocument = Type.Object(
  {
    kind: Type.String(),
    audience: Type.Union([Type.Literal('customer'), Type.Literal('staff')]),
    language: Type.String({
      description:
        "The language the words are in: the one asked for, or the shop's when there is no template in it",
    }),
    ...parts,
    customised: Type.Boolean({ description: 'false: the built-in default is in force' }),
    updatedAt: Type.Union([Timestamp, Type.Null()], { description: 'null for a default' }),
    updatedBy: Type.Union([Type.String(), Type.Null()], { description: 'null for a default' }),
  },
  {
    $id: 'MessageTemplate',
    description:
      'The words of one message kind. The values a template may use are listed by POST /v1/message-templates/{kind}/preview with no data (its sample) and in src/messaging/message-view.ts.',
  },
);
export type MessageTemplateDocument = Static<typeof MessageTemplateDocument>;

export const MessageTemplateList = Type.Object({
  items: Type.Array(Type.Ref('MessageTemplate'), { description: 'Every kind, in a fixed order' }),
});
export interface MessageTemplateList {
  items: MessageTemplateDocument[];
}

export const PreviewBody = Type.Object(
  {
    template: Type.Optional(
      Type.Object(parts, {
        additionalProperties: false,
        description:
          'A draft of all four parts to render instead of the template in force, so an editor can show what it will send before saving; omitted: the template in force',
      }),
    ),
    data: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description:
            'Outbox data as the message’s cause writes it (see the sample); omitted: the sample data for the kind',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;

export const RenderedPreview = Type.Object({
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  sms: Type.String(),
  data: Type.Object({}, { additionalProperties: true, description: 'The data rendered' }),
});
export type RenderedPreview = Static<typeof RenderedPreview>;
