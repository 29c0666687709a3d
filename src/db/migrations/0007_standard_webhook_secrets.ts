import { type Kysely, sql } from 'kysely';

/**
 * Webhooks are now signed per Standard Webhooks, whose secrets are `whsec_` + base64 of
 * the key's bytes (the library decodes what follows the prefix). Before, the HMAC key was
 * the secret string itself (`whsec_` + base64url of 32 random bytes, used as UTF-8 text).
 * Re-encoding each stored secret as `whsec_` + base64 of that string's UTF-8 bytes keeps
 * the same key bytes: a receiver verifies with `new Webhook(oldSecret, { format: 'raw' })`,
 * or with the re-encoded string, without the secret being rotated (docs/api.md).
 * The old string is 49 bytes, within the specification's 24–64.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await reencodeWebhookSecrets(db);
}

/** Exported for its test: a migrated database cannot be taken back to before 0007. */
export async function reencodeWebhookSecrets(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ id: number | string; secret: string }>`
    select id, secret from webhooks order by id`.execute(db);
  for (const row of rows.rows) {
    await sql`update webhooks set secret = ${standardSecretFor(row.secret)}
      where id = ${Number(row.id)}`.execute(db);
  }
}

/** The Standard Webhooks form of a secret that was used as its own UTF-8 bytes. */
export function standardSecretFor(oldSecret: string): string {
  return `whsec_${Buffer.from(oldSecret, 'utf8').toString('base64')}`;
}
