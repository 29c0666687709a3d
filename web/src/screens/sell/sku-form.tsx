import { Button, Group, Kbd, NumberInput, TextInput } from '@mantine/core';
import { type RefObject, useState } from 'react';
import { readableDescription } from './readable';

/**
 * SKU and quantity. A scanner types the SKU and Enter, which submits with the quantity
 * shown (1 unless changed), so scanning needs no other key.
 */
export function SkuForm({
  skuRef,
  sku,
  onSku,
  error,
  busy,
  onQuote,
}: {
  skuRef: RefObject<HTMLInputElement | null>;
  sku: string;
  onSku: (sku: string) => void;
  error: string | undefined;
  busy: boolean;
  onQuote: (sku: string, quantity: number) => void;
}) {
  const [quantity, setQuantity] = useState<number | string>(1);
  const [skuError, setSkuError] = useState<string>();
  const [quantityError, setQuantityError] = useState<string>();
  const submit = () => {
    const wanted = typeof quantity === 'number' ? quantity : Number(quantity);
    const badSku = sku.trim() === '' ? 'Type or scan a SKU' : undefined;
    const badQuantity =
      Number.isInteger(wanted) && wanted >= 1 && wanted <= 100_000
        ? undefined
        : 'A whole number from 1 to 100,000';
    setSkuError(badSku);
    setQuantityError(badQuantity);
    if (badSku === undefined && badQuantity === undefined) onQuote(sku.trim(), wanted);
  };
  const shown = skuError ?? error;
  return (
    <form
      aria-label="Look up an item"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Group align="flex-start" gap="md">
        <TextInput
          ref={skuRef}
          label="SKU"
          description="Type or scan, then Enter"
          styles={readableDescription}
          value={sku}
          onChange={(e) => onSku(e.currentTarget.value)}
          error={shown}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          w={260}
        />
        <NumberInput
          label="Quantity"
          description="Units wanted"
          styles={readableDescription}
          value={quantity}
          onChange={setQuantity}
          min={1}
          max={100_000}
          allowDecimal={false}
          error={quantityError}
          w={140}
        />
        <Button type="submit" mt={42} loading={busy}>
          Check stock&nbsp;<Kbd>Enter</Kbd>
        </Button>
      </Group>
    </form>
  );
}

/** Clears the SKU field for the next scan and puts the cursor in it. */
export function readyForNextScan(skuRef: RefObject<HTMLInputElement | null>) {
  const input = skuRef.current;
  if (!input) return;
  input.focus();
  input.select();
}
