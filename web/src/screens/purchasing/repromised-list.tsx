import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { formatDate } from '../../components';
import type { LineChangePreview } from './purchasing-api';

type Repromised = LineChangePreview['repromised'][number];

const DIRECTION: Record<Repromised['direction'], { label: string; colour: string }> = {
  later: { label: 'Later', colour: 'orange' },
  earlier: { label: 'Earlier', colour: 'green' },
  promised: { label: 'Now promised', colour: 'green' },
  unpromised: { label: 'No date', colour: 'red' },
  confidence: { label: 'Confidence', colour: 'gray' },
};

/** Each re-promised order line: who, from which date to which, and the message they get. */
export function RepromisedList({ lines }: { lines: Repromised[] }) {
  return (
    <Stack
      gap="xs"
      component="ul"
      p={0}
      style={{ listStyle: 'none' }}
      aria-label="Customers re-promised"
    >
      {lines.map((r) => (
        <Card key={r.line} component="li" withBorder padding="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600}>
                {r.customer ? r.customer.name : 'No customer on the order'}
                {r.customer?.contact && (
                  <Text span c="gray.7" fw={400}>
                    {' '}
                    · {r.customer.contact}
                  </Text>
                )}
              </Text>
              <Text size="sm">
                Order {r.order.id}
                {r.order.reference && ` (${r.order.reference})`} on {r.order.channel}: {r.waiting} ×{' '}
                {r.sku} waiting, {formatDate(r.oldDate)} → {formatDate(r.newDate)}
              </Text>
            </div>
            <Badge color={DIRECTION[r.direction].colour} variant="light" c="dark.7">
              {DIRECTION[r.direction].label}
            </Badge>
          </Group>
          {r.message ? (
            <Stack gap={2} mt="xs">
              <Text size="sm" component="div">
                <Badge size="sm" variant="outline" mr="xs">
                  {r.message.kind}
                </Badge>
                {r.message.transport === 'sms' ? 'SMS' : 'Email'} to {r.message.recipient}:{' '}
                <strong>{r.message.subject}</strong>
              </Text>
              <Text size="sm" c="gray.7" style={{ whiteSpace: 'pre-line' }}>
                {r.message.firstLines.join('\n')}
              </Text>
            </Stack>
          ) : (
            <Text size="sm" c="gray.7" mt="xs">
              No message:{' '}
              {r.customer ? 'they asked for none or gave no contact' : 'no customer to tell'}.
            </Text>
          )}
        </Card>
      ))}
    </Stack>
  );
}
