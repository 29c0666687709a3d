import { Badge, Button, Group, Text } from '@mantine/core';
import { formatMoney } from '../../components';
import type { Item } from './item-queries';

export type ItemAction = 'adjust' | 'count' | 'transfer';

const POLICIES: Record<Item['backorderPolicy'], string> = {
  none: 'no backorders',
  incoming: 'backorders against incoming supply',
  lead_time: 'backorders on supplier lead time',
};

/** What the item is, and the three stock actions. */
export function ItemHeader({
  item,
  onAction,
  actionsDisabled,
}: {
  item: Item;
  onAction: (action: ItemAction) => void;
  actionsDisabled: boolean;
}) {
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" mb="md">
      <Group gap="xs" wrap="wrap">
        <Text>
          SKU <strong>{item.sku}</strong> · {item.category} · {formatMoney(item.price)} ·{' '}
          {POLICIES[item.backorderPolicy]} · service level{' '}
          {item.serviceLevel === null
            ? 'by its ABC class'
            : `${Math.round(item.serviceLevel * 1000) / 10}%`}
        </Text>
        {item.status !== 'active' && (
          <Badge color="gray" variant="light">
            {item.status}
          </Badge>
        )}
      </Group>
      <Group gap="xs">
        <Button onClick={() => onAction('adjust')} disabled={actionsDisabled}>
          Adjust
        </Button>
        <Button onClick={() => onAction('count')} disabled={actionsDisabled} variant="light">
          Count
        </Button>
        <Button onClick={() => onAction('transfer')} disabled={actionsDisabled} variant="light">
          Transfer
        </Button>
      </Group>
    </Group>
  );
}
