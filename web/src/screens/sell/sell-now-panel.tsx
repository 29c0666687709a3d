import { Button, Kbd, List, Paper, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { errorMessage } from '../../api/errors';

/** In stock here: one press sells and hands over. */
export function SellNowPanel({
  sku,
  quantity,
  fromStock,
  available,
  pending,
  error,
  onSell,
}: {
  sku: string;
  quantity: number;
  fromStock: { location: string; quantity: number }[];
  available: number;
  pending: boolean;
  error: Error | null;
  onSell: () => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  // The cashier's next move is Enter: the button has focus as soon as the panel shows.
  useEffect(() => button.current?.focus(), []);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sell-now-title">
      <Title order={2} id="sell-now-title" size="h3">
        In stock: sell now
      </Title>
      <Text mt="xs">
        {quantity} × {sku}, {available} available in this store.
      </Text>
      <List size="sm" mt="xs">
        {fromStock.map((f) => (
          <List.Item key={f.location}>
            {f.quantity} from {f.location}
          </List.Item>
        ))}
      </List>
      {error && (
        <Text c="red" mt="sm" role="alert">
          {errorMessage(error)}
        </Text>
      )}
      <Button ref={button} mt="md" size="md" loading={pending} onClick={onSell}>
        Sell now&nbsp;<Kbd>Enter</Kbd>
      </Button>
    </Paper>
  );
}
