import { Anchor, Badge, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorPanel, formatDateTime, formatMoney, formatQuantity } from '../../components';
import { CloseShortDialog } from './close-short-dialog';
import { ExpectedDateDialog } from './expected-date-dialog';
import { OrderActions } from './order-actions';
import { OrderHistory } from './order-history';
import { OrderLinesTable } from './order-lines-table';
import { type PurchaseOrderLine, usePurchaseOrder } from './purchasing-api';
import { StateBadge } from './state-badge';

type Dialog = { kind: 'date' | 'short'; line: PurchaseOrderLine } | null;

/** One purchase order: its lines and what can be done to them, and its history. */
export function OrderDetail() {
  const id = Number(useParams().id);
  const order = usePurchaseOrder(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  if (order.error) {
    return (
      <ErrorPanel
        error={order.error}
        title={`PO ${id} could not be loaded`}
        onRetry={() => order.refetch()}
      />
    );
  }
  if (!order.data) return <Loader aria-label="Loading the purchase order" />;
  const po = order.data;
  return (
    <Stack>
      <Anchor component={Link} to="/purchasing">
        ← All purchase orders
      </Anchor>
      <Group justify="space-between" align="center">
        <Group gap="sm">
          <Title order={2}>
            PO {po.id}
            {po.reference && ` · ${po.reference}`}
          </Title>
          <StateBadge state={po.state} testId="po-state" />
        </Group>
        <OrderActions order={po} />
      </Group>
      <Group gap="xl">
        <Text>
          Supplier{' '}
          <Anchor component={Link} to={`/purchasing/suppliers/${po.supplier}`}>
            {po.supplier}
          </Anchor>
        </Text>
        <Text>Deliver to {po.location}</Text>
        <Text>Sent {formatDateTime(po.sentAt)}</Text>
        <Text>
          {formatQuantity(po.totals.received)} of{' '}
          {formatQuantity(po.totals.ordered - po.totals.cancelled)} received
        </Text>
        <Badge variant="outline">Cost {formatMoney(po.totals.cost)}</Badge>
      </Group>
      <Title order={3}>Lines</Title>
      <OrderLinesTable
        order={po}
        onChangeDate={(line) => setDialog({ kind: 'date', line })}
        onCloseShort={(line) => setDialog({ kind: 'short', line })}
      />
      <OrderHistory id={po.id} />
      {dialog?.kind === 'date' && (
        <ExpectedDateDialog order={po} line={dialog.line} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'short' && (
        <CloseShortDialog order={po} line={dialog.line} onClose={() => setDialog(null)} />
      )}
    </Stack>
  );
}
