import type { MessageTemplate } from './types';

/** The four Mustache parts a template is made of, as PUT and the preview take them. */
export interface TemplateDraft {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export function draftOf(template: MessageTemplate): TemplateDraft {
  return { subject: template.subject, text: template.text, html: template.html, sms: template.sms };
}

export function sameDraft(a: TemplateDraft, b: TemplateDraft): boolean {
  return a.subject === b.subject && a.text === b.text && a.html === b.html && a.sms === b.sms;
}
