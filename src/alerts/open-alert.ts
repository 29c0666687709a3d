import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import type { MessagingSettings } from '../kernel/messaging-settings.js';
import { enqueueMessages } from '../kernel/outbox/outbox.repository.js';
import { insertAlert, type NewAlert } from './alerts.repository.js';

const ACTOR = 'system:alerts';

/**
 * Opens an alert unless one is already open for the same kind and subject, inside the
 * caller's transaction (insertAlert: the unique open key decides, so two processes
 * raising it at once open it once). Only the opening writes the staff emails and the
 * events (alert.raised, and stock.low for low stock). Returns the new id, or null when
 * an alert was already open.
 */
export async function openAlert(
  trx: Transaction<DB>,
  alert: NewAlert,
  settings: MessagingSettings,
  now: string,
): Promise<number | null> {
  const id = await insertAlert(trx, alert, now);
  if (id === null) return null;
  await emailStaff(trx, id, alert, settings, now);
  await recordEvents(trx, alertEvents(id, alert, now));
  return id;
}

async function emailStaff(
  trx: Transaction<DB>,
  id: number,
  alert: NewAlert,
  settings: MessagingSettings,
  now: string,
): Promise<void> {
  const recipients = [...new Set(settings.staffEmails.map((e) => e.trim()).filter(Boolean))];
  if (recipients.length === 0) return;
  const data = {
    ...alert.details,
    alertId: id,
    kind: alert.kind,
    subject: alert.subject,
    message: alert.message,
  };
  await enqueueMessages(
    trx,
    recipients.map((email) => ({
      dedupeKey: `alert:${id}:${email}`,
      audience: 'staff' as const,
      transport: 'email' as const,
      template: `alert_${alert.kind}`,
      recipient: email,
      alertId: id,
      data,
    })),
    now,
  );
}

function alertEvents(id: number, alert: NewAlert, now: string) {
  const channel = typeof alert.details.channel === 'string' ? alert.details.channel : null;
  const raised = {
    type: 'alert.raised',
    subject: `alert:${id}`,
    payload: {
      alertId: id,
      kind: alert.kind,
      subject: alert.subject,
      message: alert.message,
      details: alert.details,
    },
    actor: ACTOR,
    now,
    channel,
  };
  if (alert.kind !== 'low_stock') return [raised];
  const low = {
    type: 'stock.low',
    subject: alert.subject,
    payload: { ...alert.details, alertId: id },
    actor: ACTOR,
    now,
    channel,
  };
  return [raised, low];
}
