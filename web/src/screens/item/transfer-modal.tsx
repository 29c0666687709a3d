import { Group, NativeSelect, NumberInput, Radio, Text, TextInput } from '@mantine/core';
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

type Mode = 'now' | 'transit';

interface Errors {
  to?: string;
  quantity?: string;
  expectedDate?: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Moves units to another location: at once (`POST /v1/stock/transfers`), or dispatched
 * to arrive on a date (`POST /v1/transfers`), when they become supply at the destination.
 */
export function TransferModal({
  sku,
  levels,
  locations,
  onClose,
}: {
  sku: string;
  levels: StockLevel[];
  locations: string[];
  onClose: () => void;
}) {
  // Start from where most can be moved: the likeliest source, and never an empty shelf.
  const [from, setFrom] = useState(
    () =>
      levels.reduce<StockLevel | undefined>(
        (best, l) => (best && best.available >= l.available ? best : l),
        undefined,
      )?.location ?? '',
  );
  const [to, setTo] = useState(locations.find((code) => code !== from) ?? '');
  const [quantity, setQuantity] = useState<string | number>('');
  const [mode, setMode] = useState<Mode>('now');
  const [expectedDate, setExpectedDate] = useState('');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const source = levels.find((level) => level.location === from);
  const transfer = useApiMutation({
    mutationFn: async () => {
      const body = {
        sku,
        from,
        to,
        quantity: wholeNumber(quantity) ?? 0,
        ...(reference.trim() !== '' && { reference: reference.trim() }),
      };
      if (mode === 'now') {
        await unwrap(api.POST('/v1/stock/transfers', { body }));
        return `Moved ${body.quantity} of ${sku} from ${from} to ${to}`;
      }
      await unwrap(api.POST('/v1/transfers', { body: { ...body, expectedDate } }));
      return `Sent ${body.quantity} of ${sku} from ${from} to ${to}, due ${expectedDate}`;
    },
    invalidates: [...ITEM_ACTION_INVALIDATES, '/v1/transfers'],
    successMessage: (message) => message,
    onSuccess: () => onClose(),
  });
  function submit() {
    const found: Errors = {};
    const units = wholeNumber(quantity);
    if (to === '' || to === from) found.to = 'Choose another location than the one it leaves';
    if (units === undefined || units < 1)
      found.quantity = 'Enter a whole number of units, 1 or more';
    if (mode === 'transit' && !/^\d{4}-\d{2}-\d{2}$/.test(expectedDate))
      found.expectedDate = 'Enter the day the units are due';
    setErrors(found);
    if (Object.keys(found).length === 0) transfer.mutate();
  }
  return (
    <ActionModal
      title={`Transfer ${sku}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Transfer"
      pending={transfer.isPending}
      error={transfer.error}
    >
      <NativeSelect
        label="From"
        value={from}
        onChange={(event) => setFrom(event.currentTarget.value)}
        data={levels.map((l) => l.location)}
        required
      />
      {source && (
        <Text size="sm">
          {formatQuantity(source.available)} available to move from {from}.
        </Text>
      )}
      <NativeSelect
        label="To"
        value={to}
        onChange={(event) => setTo(event.currentTarget.value)}
        data={locations}
        error={errors.to}
        required
      />
      <NumberInput
        hideControls
        label="Units"
        value={quantity}
        onChange={setQuantity}
        min={1}
        allowDecimal={false}
        allowNegative={false}
        error={errors.quantity}
        required
        data-autofocus
      />
      <Radio.Group label="When" value={mode} onChange={(value) => setMode(value as Mode)}>
        <Group mt={4}>
          <Radio value="now" label="Move now" />
          <Radio value="transit" label="Send, arriving later" />
        </Group>
      </Radio.Group>
      {mode === 'transit' && (
        <TextInput
          type="date"
          label="Due at the destination on"
          value={expectedDate}
          min={today()}
          onChange={(event) => setExpectedDate(event.currentTarget.value)}
          error={errors.expectedDate}
          required
        />
      )}
      <TextInput
        label="Reference (optional)"
        {...readableDescription}
        description="Delivery note or consignment number"
        value={reference}
        onChange={(event) => setReference(event.currentTarget.value)}
        maxLength={200}
      />
    </ActionModal>
  );
}
