import { Loader, Table, Text } from '@mantine/core';
import { errorMessage } from '../../api/errors';
import { AvailabilityStateBadge, formatDate, formatQuantity } from '../../components';
import { useChannelAvailability, useChannels } from './item-queries';
import { Section } from './section';

function ChannelRow({ sku, channel, name }: { sku: string; channel: string; name: string }) {
  const answer = useChannelAvailability(sku, channel);
  return (
    <Table.Tr data-channel={channel}>
      <Table.Th scope="row">{name}</Table.Th>
      {answer.isPending ? (
        <Table.Td colSpan={4}>
          <Loader size="xs" aria-label={`Loading availability on ${name}`} />
        </Table.Td>
      ) : answer.isError ? (
        <Table.Td colSpan={4}>
          <Text c="red" size="sm" role="alert">
            {errorMessage(answer.error)}
          </Text>
        </Table.Td>
      ) : (
        <>
          {/* The reason takes the width it needs; the badge must not be cut to "BACK…". */}
          <Table.Td miw={130}>
            <AvailabilityStateBadge state={answer.data.state} />
          </Table.Td>
          <Table.Td ta="right">{formatQuantity(answer.data.quantities.available)}</Table.Td>
          <Table.Td>
            {formatDate(answer.data.expectedDate ?? answer.data.nextExpectedDate)}
          </Table.Td>
          <Table.Td>
            <Text size="sm">{answer.data.reason}</Text>
          </Table.Td>
        </>
      )}
    </Table.Tr>
  );
}

/** What each channel may sell of the item now, and why: the answer its shop gets. */
export function ChannelAvailability({ sku }: { sku: string }) {
  const channels = useChannels();
  return (
    <Section title="Availability by channel">
      {channels.isPending ? (
        <Loader size="sm" aria-label="Loading channels" />
      ) : channels.isError ? (
        <Text c="red" role="alert">
          {errorMessage(channels.error)}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table data-testid="channel-availability">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Channel</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col" ta="right">
                  Available
                </Table.Th>
                <Table.Th scope="col">Expected</Table.Th>
                <Table.Th scope="col">Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.data.items.map((channel) => (
                <ChannelRow
                  key={channel.code}
                  sku={sku}
                  channel={channel.code}
                  name={channel.name}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
