import { Loader, SimpleGrid, Stack } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { ErrorPanel, PageTitle } from '../../components';
import { AdjustModal } from './adjust-modal';
import { AlternativesPanel } from './alternatives-panel';
import { BackorderQueue } from './backorder-queue';
import { ChannelAvailability } from './channel-availability';
import { CountModal } from './count-modal';
import { ForecastPanel } from './forecast-panel';
import { type ItemAction, ItemHeader } from './item-header';
import { useItem, useLocations, useStockLevels } from './item-queries';
import { LedgerPanel } from './ledger-panel';
import { QuantitiesPanel } from './quantities-panel';
import { ServiceLevelForm } from './service-level-form';
import { SubscribersPanel } from './subscribers-panel';
import { SupplyTimeline } from './supply-timeline';
import { TransferModal } from './transfer-modal';

/** /items/:sku: everything about one item, and the stock actions on it. */
export default function ItemScreen() {
  const sku = useParams().sku ?? '';
  const item = useItem(sku);
  const stock = useStockLevels(sku);
  const locations = useLocations();
  const { isAdmin } = useAuth();
  const [action, setAction] = useState<ItemAction | undefined>();

  if (item.isPending) return <Loader aria-label={`Loading ${sku}`} />;
  if (item.isError)
    return (
      <>
        <PageTitle>{sku}</PageTitle>
        <ErrorPanel
          error={item.error}
          title="The item could not be loaded"
          onRetry={() => item.refetch()}
        />
      </>
    );

  const levels = stock.data?.items ?? [];
  const codes = locations.data?.items.map((location) => location.code) ?? [];
  const close = () => setAction(undefined);
  return (
    <>
      <PageTitle title={`${item.data.name} (${item.data.sku})`}>{item.data.name}</PageTitle>
      <ItemHeader
        item={item.data}
        onAction={setAction}
        actionsDisabled={levels.length === 0 || codes.length === 0}
      />
      <Stack gap="md">
        <QuantitiesPanel item={item.data} />
        <ChannelAvailability sku={sku} />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <SupplyTimeline sku={sku} />
          <BackorderQueue sku={sku} />
        </SimpleGrid>
        <ForecastPanel sku={sku} />
        <LedgerPanel sku={sku} />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <AlternativesPanel sku={sku} />
          <SubscribersPanel sku={sku} />
        </SimpleGrid>
        {isAdmin && <ServiceLevelForm key={item.data.serviceLevel ?? 'default'} item={item.data} />}
      </Stack>
      {action === 'adjust' && <AdjustModal sku={sku} locations={codes} onClose={close} />}
      {action === 'count' && <CountModal sku={sku} levels={levels} onClose={close} />}
      {action === 'transfer' && (
        <TransferModal sku={sku} levels={levels} locations={codes} onClose={close} />
      )}
    </>
  );
}
