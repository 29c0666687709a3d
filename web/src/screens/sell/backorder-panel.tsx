import { Button, Checkbox, Kbd, Paper, Stack, Text, Title } from '@mantine/core';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { type Contact, parseContact } from './contact';
import { CustomerFields } from './customer-fields';
import { expectationSentence, howSoon, spokenDate } from './promise-words';
import type { Panel } from './sell-panel';

type Backorder = Extract<Panel, { kind: 'backorder' }>;

/**
 * Not enough here, but it can be promised: the date to read out, the customer's consent
 * and contact. Nothing is placed until the consent box is ticked; the customer's contact
 * is what the "backorder confirmed" message goes to.
 */
export function BackorderPanel({
  sku,
  quantity,
  panel,
  today,
  pending,
  error,
  formRef,
  onTake,
}: {
  sku: string;
  quantity: number;
  panel: Backorder;
  today: string;
  pending: boolean;
  error: Error | null;
  formRef: RefObject<HTMLFormElement | null>;
  onTake: (customer: { name: string; contact: Contact }) => void;
}) {
  const [consent, setConsent] = useState(false);
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [errors, setErrors] = useState<{ consent?: string; name?: string; contact?: string }>({});
  const consentRef = useRef<HTMLInputElement>(null);
  useEffect(() => consentRef.current?.focus(), []);
  const { later, now, preorder } = panel;
  const submit = () => {
    const parsed = parseContact(contact);
    const next = {
      ...(consent ? {} : { consent: 'The customer must agree to wait for the date above' }),
      ...(name.trim() === '' ? { name: 'Enter the customer’s name' } : {}),
      ...('error' in parsed ? { contact: parsed.error } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0 || 'error' in parsed) return;
    onTake({ name: name.trim(), contact: parsed.contact });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="backorder-title">
      <Title order={2} id="backorder-title" size="h3">
        {preorder ? 'Preorder' : 'Backorder'}: {sku}
      </Title>
      <Text mt="xs" size="xl" fw={600} data-testid="promised-words">
        {expectationSentence(later, today)}
      </Text>
      <Text size="sm">
        That is {howSoon(later.date, today)}.{' '}
        {now > 0
          ? `${now} of the ${quantity} can be handed over now; ${later.quantity} will follow.`
          : `All ${quantity} will come then.`}
      </Text>
      <form
        ref={formRef}
        aria-label={preorder ? 'Take the preorder' : 'Take the backorder'}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm" mt="md" maw={420}>
          <Checkbox
            ref={consentRef}
            label={`The customer agrees to wait until ${spokenDate(later.date, today)}`}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            error={errors.consent}
          />
          <CustomerFields
            idPrefix="backorder"
            name={name}
            contact={contact}
            errors={errors}
            onName={setName}
            onContact={setContact}
          />
          {error && (
            <Text c="red" role="alert">
              {errorMessage(error)}
            </Text>
          )}
          <Button type="submit" loading={pending}>
            {preorder ? 'Take preorder' : 'Take backorder'}&nbsp;<Kbd>B</Kbd>
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
