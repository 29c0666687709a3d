import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { ErrorPanel, formatQuantity } from '../../components';
import type { PurchaseOrder, PurchaseOrderLine } from './purchasing-api';

interface Props {
  order: PurchaseOrder;
  line: PurchaseOrderLine;
  onClose: () => void;
}

/**
 * Closing a line short: the supplier will not send the rest, so the line's quantity drops
 * to what arrived. Customers waiting on those units are re-promised from other supply.
 */
export function CloseShortDialog({ order, line, onClose }: Props) {
  const [reason, setReason] = useState('');
  const close = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/purchase-orders/{id}/lines/{line}', {
          params: { path: { id: order.id, line: line.id } },
          body: { quantity: line.received, ...(reason.trim() && { reason: reason.trim() }) },
        }),
      ),
    invalidates: [
      '/v1/purchase-orders',
      '/v1/purchase-orders/{id}',
      '/v1/purchase-orders/{id}/history',
    ],
    successMessage: `${line.sku} closed short at ${formatQuantity(line.received)}`,
    onSuccess: onClose,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    close.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={`Close ${line.sku} short`}
      closeButtonProps={{ 'aria-label': 'Close the dialog' }}
    >
      <Stack component="form" onSubmit={submit}>
        <Text size="sm">
          {formatQuantity(line.received)} of {formatQuantity(line.quantity - line.cancelled)}{' '}
          arrived; the {formatQuantity(line.open)} still open will be cancelled.
        </Text>
        <TextInput
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {close.error && <ErrorPanel error={close.error} title="Not closed" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep it open
          </Button>
          <Button type="submit" loading={close.isPending}>
            Close short
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
