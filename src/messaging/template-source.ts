import type { Db } from '../db/schema.js';
import type { MessageKind } from '../domain/customer-messages.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { builtInTemplate } from './languages.js';
import type { MessageTemplate } from './templates.js';
import { findTemplateRow, findTranslationRow, type TemplateRow } from './templates.repository.js';

/** The template a message of a kind is written with for a language, and where it came from. */
export interface TemplateInForce {
  template: MessageTemplate;
  /** The language its words are in: the one asked for, or the shop's when that has none. */
  language: string;
  customised: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * For a language other than the shop's: staff's translation, else the built-in one, else
 * as for the shop's language. For the shop's language: staff's override
 * (message_templates), else the built-in template in that language, else English.
 */
export async function templateInForce(
  db: Db,
  kind: MessageKind,
  language: string,
  defaultLanguage: string,
): Promise<TemplateInForce> {
  if (language !== defaultLanguage) {
    const row = await findTranslationRow(db, kind, language);
    if (row) return fromRow(row, language);
    const builtIn = builtInTemplate(kind, language);
    if (builtIn) return fromBuiltIn(builtIn, language);
  }
  const row = await findTemplateRow(db, kind);
  if (row) return fromRow(row, defaultLanguage);
  const builtIn = builtInTemplate(kind, defaultLanguage);
  return builtIn
    ? fromBuiltIn(builtIn, defaultLanguage)
    : fromBuiltIn(DEFAULT_TEMPLATES[kind], 'en');
}

function fromRow(row: TemplateRow, language: string): TemplateInForce {
  return {
    template: { subject: row.subject, text: row.text_body, html: row.html_body, sms: row.sms_body },
    language,
    customised: true,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function fromBuiltIn(template: MessageTemplate, language: string): TemplateInForce {
  return { template, language, customised: false, updatedAt: null, updatedBy: null };
}
