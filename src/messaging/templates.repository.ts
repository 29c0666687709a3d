import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type {
  MessageTemplatesTable,
  MessageTemplateTranslationsTable,
} from '../db/tables/communication.js';

/** Staff's overrides of the built-in templates. SQL only. */

export type TemplateRow = Selectable<MessageTemplatesTable>;

export function findTemplateRow(db: Db, kind: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('message_templates').selectAll().where('kind', '=', kind).executeTakeFirst();
}

export function listTemplateRows(db: Db): Promise<TemplateRow[]> {
  return db.selectFrom('message_templates').selectAll().orderBy('kind').execute();
}

/** Insert or replace in one statement, so two editors racing both succeed (the last wins). */
export async function upsertTemplateRow(
  db: Db,
  row: Insertable<MessageTemplatesTable>,
): Promise<void> {
  await db
    .insertInto('message_templates')
    .values(row)
    .onConflict((oc) =>
      oc.column('kind').doUpdateSet({
        subject: row.subject,
        text_body: row.text_body,
        html_body: row.html_body,
        sms_body: row.sms_body,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteTemplateRow(db: Db, kind: string): Promise<number> {
  const result = await db
    .deleteFrom('message_templates')
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Staff's translations into languages other than the shop's own. SQL only. */
export type TranslationRow = Selectable<MessageTemplateTranslationsTable>;

export function findTranslationRow(
  db: Db,
  kind: string,
  language: string,
): Promise<TranslationRow | undefined> {
  return db
    .selectFrom('message_template_translations')
    .selectAll()
    .where('kind', '=', kind)
    .where('language', '=', language)
    .executeTakeFirst();
}

export function listTranslationRows(db: Db, language: string): Promise<TranslationRow[]> {
  return db
    .selectFrom('message_template_translations')
    .selectAll()
    .where('language', '=', language)
    .orderBy('kind')
    .execute();
}

export async function upsertTranslationRow(
  db: Db,
  row: Insertable<MessageTemplateTranslationsTable>,
): Promise<void> {
  await db
    .insertInto('message_template_translations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['kind', 'language']).doUpdateSet({
        subject: row.subject,
        text_body: row.text_body,
        html_body: row.html_body,
        sms_body: row.sms_body,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteTranslationRow(db: Db, kind: string, language: string) {
  await db
    .deleteFrom('message_template_translations')
    .where('kind', '=', kind)
    .where('language', '=', language)
    .execute();
}
