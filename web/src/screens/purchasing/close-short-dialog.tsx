import { Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey, useApiMutation } from '../../api/query';
import { ErrorPanel, formatQuantity } from '../../components';
import type { PurchaseOrder, PurchaseOrderLine } from './purchasing-api';
import { RepromisedList } from './repromised-list';

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
  // Closing short moves promises as a date change does: show who, before it is done.
  const path = { id: order.id, line: line.id };
  const preview = useQuery({
    queryKey: apiKey('/v1/purchase-orders/{id}/lines/{line}/preview', {
      ...path,
      quantity: line.received,
    }),
    queryFn: () =>
      unwrap(
        api.POST('/v1/purchase-orders/{id}/lines/{line}/preview', {
          params: { path },
          body: { quantity: line.received },
        }),
      ),
    staleTime: 0,
  });
  const repromised = preview.data?.repromised ?? [];
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
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close the dialog' }}
    >
      <Stack component="form" onSubmit={submit}>
        <Text size="sm">
          {formatQuantity(line.received)} of {formatQuantity(line.quantity - line.cancelled)}{' '}
          arrived; the {formatQuantity(line.open)} still open will be cancelled.
        </Text>
        {preview.isPending && <Loader size="sm" aria-label="Finding the customers affected" />}
        {preview.error && <ErrorPanel error={preview.error} title="No preview" />}
        {preview.data && (
          <section aria-labelledby="short-preview-heading">
            <Text id="short-preview-heading" fw={600} component="h3" mb="xs">
              {repromised.length === 0
                ? 'Nobody waiting is re-promised'
                : `${repromised.length} waiting ${repromised.length === 1 ? 'line is' : 'lines are'} re-promised`}
            </Text>
            {repromised.length > 0 && <RepromisedList lines={repromised} />}
          </section>
        )}
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
