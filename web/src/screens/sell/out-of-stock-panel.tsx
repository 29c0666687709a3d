import { Button, Checkbox, Kbd, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { apiKey } from '../../api/query';
import { AvailabilityStateBadge } from '../../components';
import { type Contact, parseContact } from './contact';
import { CustomerFields } from './customer-fields';

export interface AlternativeChoice {
  sku: string;
  name: string;
}

/** The alternatives shown, in the order their keys 1..9 pick them. */
export function useAlternatives(sku: string, channel: string, quantity: number, enabled = true) {
  const query = { channel, quantity, limit: 9 };
  return useQuery({
    enabled,
    queryKey: apiKey('/v1/items/{sku}/alternatives', { sku, ...query }),
    queryFn: () =>
      unwrap(api.GET('/v1/items/{sku}/alternatives', { params: { path: { sku }, query } })),
  });
}

/**
 * Cannot be had: why, what to offer instead (each one key away; choosing re-quotes it
 * here), and a place in the "notify me" queue.
 */
export function OutOfStockPanel({
  sku,
  channel,
  quantity,
  headline,
  reason,
  notifyRef,
  pending,
  error,
  onPick,
  onNotify,
}: {
  sku: string;
  channel: string;
  quantity: number;
  headline: string;
  reason: string;
  notifyRef: RefObject<HTMLInputElement | null>;
  pending: boolean;
  error: Error | null;
  onPick: (alternative: AlternativeChoice) => void;
  onNotify: (customer: { name: string; contact: Contact }) => void;
}) {
  const alternatives = useAlternatives(sku, channel, quantity);
  const items = alternatives.data?.items ?? [];
  const firstChoice = useRef<HTMLButtonElement>(null);
  const [consent, setConsent] = useState(false);
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [errors, setErrors] = useState<{ consent?: string; name?: string; contact?: string }>({});
  const settled = !alternatives.isPending;
  const count = items.length;
  // Focus leaves the SKU field so the panel's keys work: the best alternative if there is
  // one (Enter picks it), else the notify-me form.
  useEffect(() => {
    if (!settled) return;
    if (count > 0) firstChoice.current?.focus();
    else notifyRef.current?.focus();
  }, [settled, count, notifyRef]);
  const submit = () => {
    const parsed = parseContact(contact);
    const next = {
      ...(consent ? {} : { consent: 'The customer must agree to be told when it is back' }),
      ...('error' in parsed ? { contact: parsed.error } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0 || 'error' in parsed) return;
    onNotify({ name: name.trim(), contact: parsed.contact });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="out-title">
      <Title order={2} id="out-title" size="h3">
        {headline}: {sku}
      </Title>
      <Text mt="xs">{reason}</Text>

      <Title order={3} size="h4" mt="md">
        Alternatives
      </Title>
      {alternatives.isPending && <Loader size="sm" aria-label="Loading alternatives" />}
      {alternatives.error && <Text c="red">{errorMessage(alternatives.error)}</Text>}
      {settled && count === 0 && !alternatives.error && (
        <Text>Nothing similar can be bought on this channel now.</Text>
      )}
      <Stack gap="xs" mt="xs" align="flex-start">
        {items.map((a, index) => (
          <Button
            key={a.sku}
            ref={index === 0 ? firstChoice : undefined}
            variant="light"
            onClick={() => onPick({ sku: a.sku, name: a.name })}
            rightSection={<AvailabilityStateBadge state={a.availability.state} />}
          >
            <Kbd mr="xs">{index + 1}</Kbd> {a.name} ({a.sku}) · {a.reason}
          </Button>
        ))}
      </Stack>

      <Title order={3} size="h4" mt="lg">
        Notify me when it is back <Kbd>N</Kbd>
      </Title>
      <form
        aria-label="Notify the customer when it is back"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm" mt="xs" maw={420}>
          <CustomerFields
            idPrefix="notify"
            name={name}
            contact={contact}
            errors={errors}
            onName={setName}
            onContact={setContact}
            nameRef={notifyRef}
            nameOptional
          />
          <Checkbox
            label="The customer agrees to one message when it is back"
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            error={errors.consent}
          />
          {error && (
            <Text c="red" role="alert">
              {errorMessage(error)}
            </Text>
          )}
          <Button type="submit" loading={pending}>
            Notify me
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
