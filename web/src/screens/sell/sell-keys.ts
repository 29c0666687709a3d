/**
 * The counter's keys. Letters and digits act only when the cursor is not in a text field
 * (a SKU or a name may contain them); Escape always starts over. Enter is not here: it
 * submits the SKU form, and presses whichever button has focus.
 */

export type SellAction =
  | { kind: 'backorder' }
  | { kind: 'notify' }
  | { kind: 'alternative'; index: number }
  | { kind: 'reset' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The key went to a text input, textarea or select. */
  inField: boolean;
}

export function actionFor(
  press: KeyPress,
  panel: 'sell' | 'backorder' | 'out' | null,
  alternatives: number,
): SellAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return { kind: 'reset' };
  if (press.inField) return null;
  const key = press.key.toLowerCase();
  if (panel === 'backorder' && key === 'b') return { kind: 'backorder' };
  if (panel === 'out' && key === 'n') return { kind: 'notify' };
  if (panel === 'out' && /^[1-9]$/.test(key) && Number(key) <= alternatives) {
    return { kind: 'alternative', index: Number(key) - 1 };
  }
  return null;
}
