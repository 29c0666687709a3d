import { Anchor, Badge, Group, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, formatDateTime } from '../../components';
import { alertAction, alertKindLabel } from './alert-links';
import type { Alert } from './types';

const KIND_COLORS: Record<Alert['kind'], string> = {
  low_stock: 'yellow',
  shortage_ahead: 'orange',
  po_overdue: 'red',
};

/** Open alerts, newest first: what happened, since when, and where to act on it. */
export function AlertsList({ alerts, shown }: { alerts: Alert[]; shown: number }) {
  if (alerts.length === 0)
    return <EmptyState title="No open alerts">Nothing is running low or late.</EmptyState>;
  return (
    <List listStyleType="none" spacing="sm" data-testid="today-alerts">
      {alerts.slice(0, shown).map((alert) => {
        const action = alertAction(alert);
        return (
          <List.Item key={alert.id}>
            <Stack gap={2}>
              <Group gap="xs" wrap="wrap">
                <Badge color={KIND_COLORS[alert.kind]} variant="light" c="dark.7">
                  {alertKindLabel(alert.kind)}
                </Badge>
                <Text size="xs" c="gray.7">
                  since {formatDateTime(alert.createdAt)}
                </Text>
              </Group>
              <Text size="sm">{alert.message}</Text>
              <Anchor component={Link} to={action.to} size="sm">
                {action.label}
              </Anchor>
            </Stack>
          </List.Item>
        );
      })}
    </List>
  );
}
