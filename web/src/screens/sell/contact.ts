/**
 * One field for the customer's contact: an email address, or a phone number for SMS. The
 * rules are the API's (customers and subscriptions), checked here so the cashier hears
 * about a typo before anything is placed.
 */

export type Contact =
  | { email: string; preferredChannel: 'email' }
  | { phone: string; preferredChannel: 'sms' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,32}$/;

export function parseContact(raw: string): { contact: Contact } | { error: string } {
  const value = raw.trim();
  if (value === '') return { error: 'Enter an email address or a mobile number' };
  if (value.includes('@')) {
    return EMAIL.test(value) && value.length <= 254
      ? { contact: { email: value, preferredChannel: 'email' } }
      : { error: `${value} is not an email address` };
  }
  const digits = value.replace(/\D/g, '');
  if (!PHONE.test(value) || digits.length < 5) {
    return { error: `${value} is neither an email address nor a phone number` };
  }
  return { contact: { phone: value, preferredChannel: 'sms' } };
}
