import type { MessageKind } from '../domain/customer-messages.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { GERMAN_TEMPLATES } from './default-templates-de.js';
import type { MessageTemplate } from './templates.js';

/**
 * The languages messages come in. English is complete (every kind); another language
 * has the customer kinds it was translated for, and whatever it lacks is written in the
 * shop's default language instead.
 */
const BUILT_IN: Record<string, Partial<Record<MessageKind, MessageTemplate>>> = {
  en: DEFAULT_TEMPLATES,
  de: GERMAN_TEMPLATES,
};

export const BUILT_IN_LANGUAGES: readonly string[] = Object.keys(BUILT_IN);

/** A language's built-in template for a kind: `de-AT` takes `de`'s; undefined when none. */
export function builtInTemplate(kind: MessageKind, language: string): MessageTemplate | undefined {
  return BUILT_IN[language]?.[kind] ?? BUILT_IN[language.slice(0, 2)]?.[kind];
}

/** Words the views put into templates, per language (the templates hold the rest). */
interface Phrases {
  readyForPickup: string;
  readyToShip: string;
  smsStop: string;
  noDateYet: string;
}

const PHRASES: Record<string, Phrases> = {
  en: {
    readyForPickup: 'ready for pickup',
    readyToShip: 'ready to ship',
    smsStop: 'Reply STOP to opt out',
    noDateYet: 'no date yet',
  },
  de: {
    readyForPickup: 'abholbereit',
    readyToShip: 'versandbereit',
    smsStop: 'Abmelden: STOP antworten',
    noDateYet: 'noch ohne Termin',
  },
};

export function phrases(language: string): Phrases {
  return PHRASES[language] ?? PHRASES[language.slice(0, 2)] ?? PHRASES.en!;
}
