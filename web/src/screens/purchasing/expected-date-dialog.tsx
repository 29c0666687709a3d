import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { ErrorPanel, formatDate } from '../../components';
import type { LineChangePreview, PurchaseOrder, PurchaseOrderLine } from './purchasing-api';
import { RepromisedList } from './repromised-list';

interface Props {
  order: PurchaseOrder;
  line: PurchaseOrderLine;
  onClose: () => void;
}

/**
 * Moving a line's expected date in two steps: Preview asks the API what the change would
 * do (the customers re-promised and the messages they would get), Save makes exactly
 * that change. Editing the date or reason after a preview asks for a new one, so what is
 * saved is always what was shown.
 */
export function ExpectedDateDialog({ order, line, onClose }: Props) {
  const [date, setDate] = useState(line.expectedDate);
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<LineChangePreview | null>(null);
  const body = { expectedDate: date, ...(reason.trim() && { reason: reason.trim() }) };
  const path = { id: order.id, line: line.id };

  const preview = useApiMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/purchase-orders/{id}/lines/{line}/preview', { params: { path }, body })),
    onSuccess: setShown,
  });
  const save = useApiMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/v1/purchase-orders/{id}/lines/{line}', { params: { path }, body })),
    invalidates: [
      '/v1/purchase-orders',
      '/v1/purchase-orders/{id}',
      '/v1/purchase-orders/{id}/history',
      '/v1/order-lines/waiting',
      '/v1/supply',
    ],
    successMessage: `Expected date of ${line.sku} moved to ${formatDate(date)}`,
    onSuccess: onClose,
  });

  const edit = (change: () => void) => {
    change();
    setShown(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (shown) save.mutate();
    else preview.mutate();
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={`Change the expected date of ${line.sku}`}
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close the dialog' }}
    >
      <Stack component="form" onSubmit={submit}>
        <Text size="sm">
          PO {order.id} line {line.id}: {line.open} open, now expected{' '}
          {formatDate(line.expectedDate)}
          {line.firstExpectedDate && ` (first promised ${formatDate(line.firstExpectedDate)})`}.
        </Text>
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label="New expected date"
            required
            value={date}
            onChange={(e) => {
              const value = e.currentTarget.value;
              edit(() => setDate(value));
            }}
          />
          <TextInput
            label="Reason (kept in the history)"
            value={reason}
            onChange={(e) => {
              const value = e.currentTarget.value;
              edit(() => setReason(value));
            }}
          />
        </Group>
        {preview.error && <ErrorPanel error={preview.error} title="No preview" />}
        {shown && (
          <section aria-labelledby="preview-heading">
            <Text id="preview-heading" fw={600} component="h3" mb="xs">
              {shown.repromised.length === 0
                ? 'Nobody waiting is re-promised'
                : `${shown.repromised.length} waiting ${shown.repromised.length === 1 ? 'line is' : 'lines are'} re-promised`}
            </Text>
            {shown.repromised.length > 0 ? (
              <RepromisedList lines={shown.repromised} />
            ) : (
              <Alert color="gray">
                No customer is told anything: no waiting line's promise moves.
              </Alert>
            )}
          </section>
        )}
        {save.error && <ErrorPanel error={save.error} title="Not saved" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          {shown ? (
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          ) : (
            <Button type="submit" loading={preview.isPending} disabled={date === ''}>
              Preview
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
