import {
  Anchor,
  Badge,
  Group,
  List,
  Loader,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { AvailabilityStateBadge, formatMoney } from '../../components';
import { useAlternatives, useChannels, useItemLinks } from './item-queries';
import { Section } from './section';

const REASONS = { replacement: 'Replacement', substitute: 'Substitute', similar: 'Similar' };

/** Links staff set from this item (what is offered first, whether buyable now or not). */
function StaffLinks({ sku }: { sku: string }) {
  const links = useItemLinks(sku);
  if (links.isPending) return <Loader size="xs" aria-label="Loading linked items" />;
  if (links.isError)
    return (
      <Text c="red.9" size="sm" role="alert">
        {errorMessage(links.error)}
      </Text>
    );
  if (links.data.items.length === 0)
    return <Text size="sm">No replacement or substitute is linked.</Text>;
  return (
    <List size="sm" spacing={4}>
      {links.data.items.map((link) => (
        <List.Item key={link.linkedSku}>
          {REASONS[link.kind]}:{' '}
          <Anchor component={Link} to={`/items/${encodeURIComponent(link.linkedSku)}`}>
            {link.linkedSku}
          </Anchor>
        </List.Item>
      ))}
    </List>
  );
}

/** What a channel would offer instead of the item now: the links, then similar items. */
export function AlternativesPanel({ sku }: { sku: string }) {
  const channels = useChannels();
  const [picked, setPicked] = useState<string | undefined>();
  const channel = picked ?? channels.data?.items[0]?.code;
  const alternatives = useAlternatives(sku, channel);
  return (
    <Section
      title="Alternatives"
      actions={
        channels.data && (
          <NativeSelect
            label="For channel"
            size="xs"
            value={channel ?? ''}
            onChange={(event) => setPicked(event.currentTarget.value)}
            data={channels.data.items.map((c) => ({ value: c.code, label: c.name }))}
          />
        )
      }
    >
      <Stack gap="sm">
        <Title order={3} size="h6">
          Linked by staff
        </Title>
        <StaffLinks sku={sku} />
        <Title order={3} size="h6">
          Offered now
        </Title>
        {alternatives.isPending ? (
          <Loader size="xs" aria-label="Loading alternatives" />
        ) : alternatives.isError ? (
          <Text c="red.9" size="sm" role="alert">
            {errorMessage(alternatives.error)}
          </Text>
        ) : alternatives.data.items.length === 0 ? (
          <Text size="sm">Nothing buyable on this channel could stand in for it.</Text>
        ) : (
          <List size="sm" spacing="xs" data-testid="alternatives">
            {alternatives.data.items.map((alt) => (
              <List.Item key={alt.sku}>
                <Group gap="xs" wrap="wrap">
                  <Anchor component={Link} to={`/items/${encodeURIComponent(alt.sku)}`}>
                    {alt.name} ({alt.sku})
                  </Anchor>
                  <Badge variant="outline" color="gray">
                    {REASONS[alt.reason]}
                  </Badge>
                  <AvailabilityStateBadge state={alt.availability.state} />
                  <Text size="sm">{formatMoney(alt.price)}</Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Section>
  );
}
