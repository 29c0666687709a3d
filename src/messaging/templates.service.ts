import { MESSAGE_KINDS, type MessageKind } from '../domain/customer-messages.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { linkSecret } from '../kernel/link-secret.repository.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { buildMessageView, fitSms } from './message-view.js';
import { SAMPLE_DATA } from './template-samples.js';
import { templateInForce } from './template-source.js';
import { audienceOf, isMessageKind, renderTemplate, templateIssues } from './templates.js';
import * as repo from './templates.repository.js';
import type {
  LanguageQuery,
  MessageTemplateDocument,
  MessageTemplateList,
  PreviewBody,
  PutTemplateBody,
  RenderedPreview,
} from './templates.schemas.js';
import { loadViewFacts } from './view-facts.js';

function requireKind(kind: string): MessageKind {
  if (!isMessageKind(kind)) {
    throw new NotFoundError('TEMPLATE_NOT_FOUND', `There is no message kind "${kind}"`, {
      kind,
      kinds: [...MESSAGE_KINDS],
    });
  }
  return kind;
}

function settingsOf(ctx: AppContext) {
  return ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;
}

/** The template a customer with this language gets (the shop's language when none is asked). */
async function documentFor(
  ctx: AppContext,
  kind: MessageKind,
  language: string | undefined,
): Promise<MessageTemplateDocument> {
  const settings = settingsOf(ctx);
  const found = await templateInForce(
    ctx.db,
    kind,
    language ?? settings.defaultLanguage,
    settings.defaultLanguage,
  );
  return {
    kind,
    audience: audienceOf(kind),
    language: found.language,
    ...found.template,
    customised: found.customised,
    updatedAt: found.updatedAt,
    updatedBy: found.updatedBy,
  };
}

export async function listTemplates(
  ctx: AppContext,
  query: LanguageQuery = {},
): Promise<MessageTemplateList> {
  const items: MessageTemplateDocument[] = [];
  for (const kind of MESSAGE_KINDS) items.push(await documentFor(ctx, kind, query.language));
  return { items };
}

export async function getTemplate(
  ctx: AppContext,
  kind: string,
  query: LanguageQuery = {},
): Promise<MessageTemplateDocument> {
  return documentFor(ctx, requireKind(kind), query.language);
}

/**
 * Replaces a kind's template. Each part must parse as Mustache: a template that cannot
 * render would only fail later, at the first attempt of a real message.
 */
export async function putTemplate(
  ctx: AppContext,
  kind: string,
  input: PutTemplateBody,
  actor: Actor,
  query: LanguageQuery = {},
): Promise<MessageTemplateDocument> {
  const known = requireKind(kind);
  refuseUnparsable(input, '');
  const row = {
    kind: known,
    subject: input.subject,
    text_body: input.text,
    html_body: input.html,
    sms_body: input.sms,
    updated_by: actor,
    updated_at: ctx.clock.now().toISOString(),
  };
  const translation = translationLanguage(ctx, query);
  return ctx.db.transaction().execute(async (trx) => {
    if (translation === null) await repo.upsertTemplateRow(trx, row);
    else await repo.upsertTranslationRow(trx, { ...row, language: translation });
    return documentFor({ ...ctx, db: trx }, known, query.language);
  });
}

/** The language of a translation, or null for the shop's own language (message_templates). */
function translationLanguage(ctx: AppContext, query: LanguageQuery): string | null {
  const language = query.language;
  return language === undefined || language === settingsOf(ctx).defaultLanguage ? null : language;
}

/** A part that does not parse is refused up front, named by its path under `prefix`. */
function refuseUnparsable(template: PutTemplateBody, prefix: string): void {
  const issues = templateIssues(template).map((i) => ({ ...i, path: `${prefix}${i.path}` }));
  if (issues.length > 0) {
    throw new BadRequestError(
      'VALIDATION_FAILED',
      `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      { issues },
    );
  }
}

/** Back to the built-in default; already there is no error. */
export async function resetTemplate(
  ctx: AppContext,
  kind: string,
  query: LanguageQuery = {},
): Promise<void> {
  const known = requireKind(kind);
  const translation = translationLanguage(ctx, query);
  if (translation === null) await repo.deleteTemplateRow(ctx.db, known);
  else await repo.deleteTranslationRow(ctx.db, known, translation);
}

/**
 * Renders the draft given, else the template in force, with the data given or the kind's
 * sample data. Nothing is stored: an editor calls this on every keystroke (debounced).
 */
export async function previewTemplate(
  ctx: AppContext,
  kind: string,
  input: PreviewBody,
  query: LanguageQuery = {},
): Promise<RenderedPreview> {
  const known = requireKind(kind);
  const data = (input.data as Record<string, unknown> | undefined) ?? SAMPLE_DATA[known];
  const settings = settingsOf(ctx);
  if (input.template) refuseUnparsable(input.template, '/template');
  const inForce = await templateInForce(
    ctx.db,
    known,
    query.language ?? settings.defaultLanguage,
    settings.defaultLanguage,
  );
  const template = input.template ?? inForce.template;
  const facts = await loadViewFacts(ctx.db, known, data, ctx.clock);
  const view = buildMessageView(known, data, facts, settings, {
    language: query.language ?? inForce.language,
    linkSecret: await linkSecret(ctx.db, settings.linkSecret),
    now: ctx.clock.now(),
  });
  const rendered = renderTemplate(template, view);
  return { ...rendered, sms: fitSms(template, view), data };
}
