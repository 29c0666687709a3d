import { ToneBadge } from '../../components/tone-badge';
import { STATE_COLOURS, STATE_LABELS } from './labels';
import type { MessageState } from './types';

export function MessageStateBadge({ state }: { state: MessageState }) {
  return <ToneBadge color={STATE_COLOURS[state]}>{STATE_LABELS[state]}</ToneBadge>;
}
