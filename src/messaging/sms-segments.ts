/**
 * How many SMS segments a text costs. GSM 03.38 7-bit: 160 characters in one segment,
 * 153 per segment when split (the rest carries the concatenation header); characters of
 * the extension table (€ [ ] { } \ ^ ~ | and form feed) take two. Any other character
 * sends the whole text as UCS-2: 70 in one segment, 67 per part, counted in UTF-16 units
 * (an emoji takes two).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsSize {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return {
    encoding: 'gsm7',
    units: septets,
    segments: septets === 0 ? 1 : septets <= 160 ? 1 : Math.ceil(septets / 153),
  };
}

/**
 * Typography that would turn a whole SMS into UCS-2 (and halve what fits) for the sake of
 * a curly quote: replaced by its GSM-7 look-alike. Anything else stays as written.
 */
const PLAIN: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
};

export function plainSms(text: string): string {
  return text.replace(
    /[\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u00a0\u2009\u202f]/g,
    (c) => PLAIN[c]!,
  );
}

/** A name cut to `max` characters, ending in "..." when cut (GSM-7 has no ellipsis). */
export function shortened(name: string, max: number): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  return `${chars
    .slice(0, Math.max(1, max - 3))
    .join('')
    .trimEnd()}...`;
}
