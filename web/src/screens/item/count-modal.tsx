import { Checkbox, NativeSelect, NumberInput, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { formatQuantity } from '../../components';
import {
  ActionModal,
  ITEM_ACTION_INVALIDATES,
  readableDescription,
  wholeNumber,
} from './action-modal';
import type { StockLevel } from './item-queries';

/**
 * A stock count. The on hand the counter started from goes with it as `expected`, taken
 * when the form opened: if stock moved while they counted, the API refuses rather than
 * overwrite a sale or delivery it did not see.
 */
export function CountModal({
  sku,
  levels,
  onClose,
}: {
  sku: string;
  levels: StockLevel[];
  onClose: () => void;
}) {
  const [startedFrom] = useState(() => new Map(levels.map((l) => [l.location, l])));
  const [location, setLocation] = useState(levels[0]?.location ?? '');
  const [counted, setCounted] = useState<string | number>('');
  const [reference, setReference] = useState('');
  const [releaseReservations, setReleaseReservations] = useState(false);
  const [countError, setCountError] = useState<string | undefined>();
  const before = startedFrom.get(location);
  const count = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/stock/counts', {
          body: {
            sku,
            location,
            quantity: wholeNumber(counted) ?? 0,
            ...(before && { expected: before.onHand }),
            ...(reference.trim() !== '' && { reference: reference.trim() }),
            ...(releaseReservations && { releaseReservations }),
          },
        }),
      ),
    invalidates: ITEM_ACTION_INVALIDATES,
    successMessage: (data) =>
      `Counted ${sku} at ${data.stock.location}: ${data.stock.onHand} on hand (${data.entry.quantity >= 0 ? '+' : ''}${data.entry.quantity})`,
    onSuccess: () => onClose(),
  });
  function submit() {
    const quantity = wholeNumber(counted);
    const problem =
      quantity === undefined || quantity < 0 ? 'Enter the units counted: 0 or more' : undefined;
    setCountError(problem);
    if (problem === undefined) count.mutate();
  }
  return (
    <ActionModal
      title={`Count ${sku}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Record count"
      pending={count.isPending}
      error={count.error}
    >
      <NativeSelect
        label="Location"
        value={location}
        onChange={(event) => setLocation(event.currentTarget.value)}
        data={levels.map((l) => l.location)}
        required
      />
      {before && (
        <Text size="sm">
          Stockroom has {formatQuantity(before.onHand)} on hand here, of which{' '}
          {formatQuantity(before.reserved)} reserved for orders.
        </Text>
      )}
      <NumberInput
        hideControls
        label="Counted quantity"
        value={counted}
        onChange={setCounted}
        min={0}
        allowDecimal={false}
        allowNegative={false}
        error={countError}
        required
        data-autofocus
      />
      <TextInput
        label="Reference (optional)"
        {...readableDescription}
        description="The count sheet"
        value={reference}
        onChange={(event) => setReference(event.currentTarget.value)}
        maxLength={200}
      />
      <Checkbox
        label="If reserved units are missing, send the newest orders back to backorder"
        checked={releaseReservations}
        onChange={(event) => setReleaseReservations(event.currentTarget.checked)}
      />
    </ActionModal>
  );
}
