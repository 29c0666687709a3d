import { NativeSelect, NumberInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import {
  ActionModal,
  ITEM_ACTION_INVALIDATES,
  readableDescription,
  wholeNumber,
} from './action-modal';

type AdjustmentType = 'adjustment' | 'receipt' | 'sale' | 'return' | 'damage';

const TYPES: { value: AdjustmentType; label: string }[] = [
  { value: 'adjustment', label: 'Adjustment (add or remove)' },
  { value: 'receipt', label: 'Receipt (add)' },
  { value: 'return', label: 'Return (add)' },
  { value: 'sale', label: 'Sale (remove)' },
  { value: 'damage', label: 'Damage (remove)' },
];

const ADDS: readonly AdjustmentType[] = ['receipt', 'return'];
const REMOVES: readonly AdjustmentType[] = ['sale', 'damage'];

interface Errors {
  delta?: string;
  reason?: string;
}

function validate(type: AdjustmentType, delta: number | undefined, reason: string): Errors {
  const errors: Errors = {};
  if (delta === undefined || delta === 0) errors.delta = 'Enter a whole number other than 0';
  else if (ADDS.includes(type) && delta < 0) errors.delta = 'A receipt or return adds units';
  else if (REMOVES.includes(type) && delta > 0)
    errors.delta = 'A sale or damage removes units: enter a negative number';
  if (reason.trim() === '') errors.reason = 'Say why the stock changes';
  return errors;
}

export function AdjustModal({
  sku,
  locations,
  onClose,
}: {
  sku: string;
  locations: string[];
  onClose: () => void;
}) {
  const [location, setLocation] = useState(locations[0] ?? '');
  const [type, setType] = useState<AdjustmentType>('adjustment');
  const [delta, setDelta] = useState<string | number>('');
  const [reason, setReason] = useState('');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const adjust = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/stock/adjustments', {
          body: {
            sku,
            location,
            type,
            delta: wholeNumber(delta) ?? 0,
            reason: reason.trim(),
            ...(reference.trim() !== '' && { reference: reference.trim() }),
          },
        }),
      ),
    invalidates: ITEM_ACTION_INVALIDATES,
    successMessage: (data) =>
      `${sku} at ${data.stock.location}: ${data.stock.onHand} on hand, ${data.stock.available} available`,
    onSuccess: () => onClose(),
  });
  function submit() {
    const found = validate(type, wholeNumber(delta), reason);
    setErrors(found);
    if (Object.keys(found).length === 0) adjust.mutate();
  }
  return (
    <ActionModal
      title={`Adjust stock of ${sku}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Adjust"
      pending={adjust.isPending}
      error={adjust.error}
    >
      <NativeSelect
        label="Location"
        value={location}
        onChange={(event) => setLocation(event.currentTarget.value)}
        data={locations}
        required
      />
      <NativeSelect
        label="Kind of change"
        value={type}
        onChange={(event) => setType(event.currentTarget.value as AdjustmentType)}
        data={TYPES}
      />
      <NumberInput
        hideControls
        label="Change in units"
        {...readableDescription}
        description="Positive adds, negative removes"
        value={delta}
        onChange={setDelta}
        allowDecimal={false}
        error={errors.delta}
        required
        data-autofocus
      />
      <TextInput
        label="Reason"
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        maxLength={500}
        error={errors.reason}
        required
      />
      <TextInput
        label="Reference (optional)"
        {...readableDescription}
        description="Delivery note, ticket, count sheet"
        value={reference}
        onChange={(event) => setReference(event.currentTarget.value)}
        maxLength={200}
      />
    </ActionModal>
  );
}
