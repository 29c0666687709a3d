import { Alert, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/errors';
import { useApiMutation } from '../../api/query';
import { PageTitle } from '../../components';
import { BackorderPanel } from './backorder-panel';
import type { Contact } from './contact';
import { useCounter } from './counter-choice';
import { CounterSettings } from './counter-settings';
import { OutOfStockPanel, useAlternatives } from './out-of-stock-panel';
import { type Done, Receipt } from './receipt';
import { newAttemptKey, notifyMe, sellNow, takeBackorder } from './sell-actions';
import { actionFor } from './sell-keys';
import { SellNowPanel } from './sell-now-panel';
import { panelFor, type QuotedLine } from './sell-panel';
import { readyForNextScan, SkuForm } from './sku-form';
import { type Asked, useQuote } from './use-quote';

type Customer = { name: string; contact: Contact };

const TEXT_INPUTS = new Set(['text', 'email', 'tel', 'number', 'search', 'password', 'url']);

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type);
}

function contactText(contact: Contact): string {
  return 'email' in contact ? contact.email : `${contact.phone} (text message)`;
}

/** The counter: scan, quote, then sell now, take a backorder, or offer what else there is. */
export default function SellScreen() {
  const { counter, options, loading, error: counterError, choose } = useCounter();
  const [sku, setSku] = useState('');
  const [asked, setAsked] = useState<Asked>();
  const [done, setDone] = useState<Done>();
  const [attemptKey, setAttemptKey] = useState(newAttemptKey);
  const skuRef = useRef<HTMLInputElement>(null);
  const backorderForm = useRef<HTMLFormElement>(null);
  const notifyName = useRef<HTMLInputElement>(null);
  const quote = useQuote(counter, asked);
  const line = quote.data?.lines[0] as QuotedLine | undefined;
  const panel = asked && line ? panelFor(line) : undefined;
  const alternatives = useAlternatives(
    asked?.sku ?? '',
    counter?.channel ?? '',
    asked?.quantity ?? 1,
    panel?.kind === 'out',
  );
  const today = new Date().toLocaleDateString('en-CA');

  const finished = (next: Done) => {
    setDone(next);
    setAsked(undefined);
    setAttemptKey(newAttemptKey());
    readyForNextScan(skuRef);
  };
  // A refusal or a rejected body is a finished attempt: the next press is a new one. A
  // lost connection is not: the same key replays the order if it was placed after all.
  const retryable = (error: Error) => {
    if (!(error instanceof ApiError)) return;
    setAttemptKey(newAttemptKey());
    // Refused because the stock moved meanwhile: the panel shows what is true now.
    void quote.refetch();
  };
  const invalidates = ['/v1/stock', '/v1/orders', '/v1/items'] as const;
  const sale = useApiMutation({
    mutationFn: () => sellNow(attemptKey, counter!, asked!),
    invalidates: [...invalidates],
    onSuccess: (result) => finished({ kind: 'sold', sale: result }),
    onError: retryable,
  });
  const backorder = useApiMutation({
    mutationFn: (customer: Customer) => takeBackorder(attemptKey, counter!, asked!, customer),
    invalidates: [...invalidates],
    onSuccess: (result, customer) =>
      finished({ kind: 'backordered', sale: result, contact: contactText(customer.contact) }),
    onError: retryable,
  });
  const notify = useApiMutation({
    mutationFn: (customer: Customer) => notifyMe(counter!, asked!.sku, customer),
    invalidates: ['/v1/subscriptions'],
    onSuccess: ({ subscription, existing }, customer) =>
      finished({
        kind: 'subscribed',
        sku: subscription.sku,
        position: subscription.position,
        contact: contactText(customer.contact),
        existing,
      }),
  });

  const quoteFor = (next: Asked) => {
    setDone(undefined);
    setAsked(next);
    setAttemptKey(newAttemptKey());
    for (const m of [sale, backorder, notify]) m.reset();
  };
  const startOver = () => {
    quoteFor({ sku: '', quantity: 1 });
    setAsked(undefined);
    setSku('');
    skuRef.current?.focus();
  };

  const keyState = {
    panel: panel?.kind ?? null,
    alternatives: alternatives.data?.items ?? [],
    asked,
  };
  const latest = useRef({ keyState, startOver, quoteFor, setSku });
  latest.current = { keyState, startOver, quoteFor, setSku };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { keyState: s, startOver: reset, quoteFor: requote, setSku: show } = latest.current;
      const press = {
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        inField: typingIn(event.target),
      };
      const action = actionFor(press, s.panel, s.alternatives.length);
      if (!action) return;
      event.preventDefault();
      if (action.kind === 'reset') reset();
      else if (action.kind === 'backorder') backorderForm.current?.requestSubmit();
      else if (action.kind === 'notify') notifyName.current?.focus();
      else {
        const picked = s.alternatives[action.index];
        if (picked && s.asked) {
          show(picked.sku);
          requote({ sku: picked.sku, quantity: s.asked.quantity });
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (loading) return <Loader aria-label="Loading the counter" />;
  if (counterError || !counter) {
    return (
      <Alert color="red" title="The counter cannot start">
        {counterError ? errorMessage(counterError) : 'No channel sells from any location yet.'}
      </Alert>
    );
  }

  return (
    <Stack gap="lg">
      <PageTitle>Sell</PageTitle>
      <CounterSettings counter={counter} options={options} onChange={choose} />
      <SkuForm
        skuRef={skuRef}
        sku={sku}
        onSku={setSku}
        error={quote.error ? errorMessage(quote.error) : undefined}
        busy={quote.isFetching}
        onQuote={(s, quantity) => quoteFor({ sku: s, quantity })}
      />
      <Text size="sm">
        Keys: Enter checks or sells, B takes a backorder, N notify me, 1–9 an alternative, Esc
        starts over.
      </Text>
      {done && <Receipt done={done} today={today} />}
      {asked && line && panel?.kind === 'sell' && (
        <SellNowPanel
          key={`${asked.sku}:${asked.quantity}`}
          sku={asked.sku}
          quantity={asked.quantity}
          fromStock={panel.fromStock}
          available={line.available}
          pending={sale.isPending}
          error={sale.error}
          onSell={() => sale.mutate()}
        />
      )}
      {asked && panel?.kind === 'backorder' && (
        <BackorderPanel
          key={`${asked.sku}:${asked.quantity}`}
          sku={asked.sku}
          quantity={asked.quantity}
          panel={panel}
          today={today}
          pending={backorder.isPending}
          error={backorder.error}
          formRef={backorderForm}
          onTake={(customer) => backorder.mutate(customer)}
        />
      )}
      {asked && counter && panel?.kind === 'out' && (
        <OutOfStockPanel
          key={`${asked.sku}:${asked.quantity}`}
          sku={asked.sku}
          channel={counter.channel}
          quantity={asked.quantity}
          headline={panel.headline}
          reason={panel.reason}
          notifyRef={notifyName}
          pending={notify.isPending}
          error={notify.error}
          onPick={(a) => {
            setSku(a.sku);
            quoteFor({ sku: a.sku, quantity: asked.quantity });
          }}
          onNotify={(customer) => notify.mutate(customer)}
        />
      )}
    </Stack>
  );
}
