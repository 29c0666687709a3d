import { MESSAGE_KINDS, type MessageKind } from '../domain/customer-messages.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { buildMessageView, templateFor } from './message-view.js';
import { SAMPLE_DATA } from './template-samples.js';
import { audienceOf, isMessageKind, renderTemplate, templateIssues } from './templates.js';
import * as repo from './templates.repository.js';
import type {
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

function toDocument(kind: MessageKind, row: repo.TemplateRow | undefined): MessageTemplateDocument {
  const fallback = DEFAULT_TEMPLATES[kind];
  return {
    kind,
    audience: audienceOf(kind),
    subject: row?.subject ?? fallback.subject,
    text: row?.text_body ?? fallback.text,
    html: row?.html_body ?? fallback.html,
    sms: row?.sms_body ?? fallback.sms,
    customised: row !== undefined,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

export async function listTemplates(ctx: AppContext): Promise<MessageTemplateList> {
  const rows = new Map((await repo.listTemplateRows(ctx.db)).map((row) => [row.kind, row]));
  return { items: MESSAGE_KINDS.map((kind) => toDocument(kind, rows.get(kind))) };
}

export async function getTemplate(ctx: AppContext, kind: string): Promise<MessageTemplateDocument> {
  const known = requireKind(kind);
  return toDocument(known, await repo.findTemplateRow(ctx.db, known));
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
): Promise<MessageTemplateDocument> {
  const known = requireKind(kind);
  refuseUnparsable(input, '');
  return ctx.db.transaction().execute(async (trx) => {
    await repo.upsertTemplateRow(trx, {
      kind: known,
      subject: input.subject,
      text_body: input.text,
      html_body: input.html,
      sms_body: input.sms,
      updated_by: actor,
      updated_at: ctx.clock.now().toISOString(),
    });
    return toDocument(known, await repo.findTemplateRow(trx, known));
  });
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
export async function resetTemplate(ctx: AppContext, kind: string): Promise<void> {
  await repo.deleteTemplateRow(ctx.db, requireKind(kind));
}

/**
 * Renders the draft given, else the template in force, with the data given or the kind's
 * sample data. Nothing is stored: an editor calls this on every keystroke (debounced).
 */
export async function previewTemplate(
  ctx: AppContext,
  kind: string,
  input: PreviewBody,
): Promise<RenderedPreview> {
  const known = requireKind(kind);
  const data = (input.data as Record<string, unknown> | undefined) ?? SAMPLE_DATA[known];
  const settings = ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;
  if (input.template) refuseUnparsable(input.template, '/template');
  const template = input.template ?? (await templateFor(ctx.db, known));
  const facts = await loadViewFacts(ctx.db, known, data, ctx.clock);
  return { ...renderTemplate(template, buildMessageView(known, data, facts, settings)), data };
}
