import { Anchor, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { ErrorPanel, formatQuantity } from '../../components';
import { type PurchaseOrder, usePurchaseOrder } from './purchasing-api';
import { ReceiveCountsTable } from './receive-counts-table';

/** A delivery note id nobody typed: unique enough per order and minute-by-minute readable. */
const newReceiptId = (id: number) =>
  `GRN-${id}-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;

/** Receiving a delivery against an order: scan each unit's SKU, check the counts, post. */
export function ReceiveOrder() {
  const id = Number(useParams().id);
  const order = usePurchaseOrder(id);
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
  return <ReceiveForm order={order.data} />;
}

function ReceiveForm({ order }: { order: PurchaseOrder }) {
  const navigate = useNavigate();
  const [counts, setCounts] = useState<Record<number, number>>({});
  const [scan, setScan] = useState('');
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [receiptId, setReceiptId] = useState(() => newReceiptId(order.id));
  const openLines = order.lines.filter((l) => l.completedAt === null);

  // A scanner types the SKU and presses Enter: one unit of the first open line with it.
  const onScanKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const sku = scan.trim().toUpperCase();
    if (!sku) return;
    const line = openLines.find((l) => l.sku.toUpperCase() === sku);
    setScan('');
    if (!line) {
      setSaid({ ok: false, text: `${sku} is not an open line of PO ${order.id}` });
      return;
    }
    const next = (counts[line.id] ?? 0) + 1;
    setCounts((all) => ({ ...all, [line.id]: next }));
    setSaid({
      ok: true,
      text: `${line.sku}: ${formatQuantity(next)} counted of ${formatQuantity(line.open)} open`,
    });
  };

  const lines = Object.entries(counts)
    .map(([line, quantity]) => ({ line: Number(line), quantity }))
    .filter((l) => l.quantity > 0);
  const post = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/purchase-orders/{id}/receipts', {
          params: { path: { id: order.id } },
          body: { receiptId: receiptId.trim(), lines },
        }),
      ),
    invalidates: [
      '/v1/purchase-orders',
      '/v1/purchase-orders/{id}',
      '/v1/purchase-orders/{id}/history',
    ],
    successMessage: (receipt) =>
      `Receipt ${receipt.receiptId} posted: ${formatQuantity(receipt.lines.reduce((n, l) => n + l.quantity, 0))} units`,
    onSuccess: () => navigate(`/purchasing/orders/${order.id}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    post.mutate();
  };

  return (
    <Stack component="form" onSubmit={submit} maw={900}>
      <Anchor component={Link} to={`/purchasing/orders/${order.id}`}>
        ← PO {order.id}
      </Anchor>
      <Title order={2}>
        Receive PO {order.id} from {order.supplier} at {order.location}
      </Title>
      <TextInput
        label="Scan or type a SKU, then Enter"
        value={scan}
        onChange={(e) => setScan(e.currentTarget.value)}
        onKeyDown={onScanKey}
        autoComplete="off"
        data-autofocus
        autoFocus
      />
      <Text role="status" c={said?.ok === false ? 'red.8' : undefined} size="sm" mih="1.5em">
        {said?.text ?? ''}
      </Text>
      <Text size="sm" c="gray.7">
        Each scan counts one unit; correct a count in the table (a case scanned once, say).
      </Text>
      <ReceiveCountsTable
        lines={openLines}
        counts={counts}
        onCount={(line, quantity) => setCounts((all) => ({ ...all, [line]: quantity }))}
      />
      <Group align="flex-end">
        <TextInput
          label="Receipt id (delivery note)"
          required
          value={receiptId}
          onChange={(e) => setReceiptId(e.currentTarget.value)}
        />
        <Button type="submit" loading={post.isPending} disabled={lines.length === 0}>
          Post receipt
        </Button>
      </Group>
      {post.error && <ErrorPanel error={post.error} title="The receipt was not posted" />}
    </Stack>
  );
}
