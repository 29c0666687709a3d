import { SimpleGrid, Stack } from '@mantine/core';
import { PageTitle } from '../../components';
import { AlertsList } from './alerts-list';
import { type CountCard, CountCards } from './count-cards';
import { FailingMessages } from './failing-messages';
import { PurchaseOrdersDue } from './purchase-orders-due';
import { TodaySection } from './section';
import {
  countLabel,
  useFailingMessages,
  useOpenAlerts,
  usePurchaseOrdersDue,
  useWaitingLines,
} from './today-queries';
import { WaitingList } from './waiting-list';

const SHOWN = 8;

/**
 * The first screen after sign-in: what needs attention now. Five small reads in parallel;
 * live events refetch them (src/live/invalidation.ts), so counts move without a reload.
 */
export default function TodayScreen() {
  const alerts = useOpenAlerts();
  const waiting = useWaitingLines('backordered');
  const unpromised = useWaitingLines('unpromised');
  const due = usePurchaseOrdersDue();
  const failing = useFailingMessages();

  const undecided = (unpromised.data?.items ?? []).filter((line) => line.keptWaiting === null);
  const cards: CountCard[] = [
    {
      id: 'alerts',
      label: 'Open alerts',
      count: countLabel(alerts.data),
      hint: 'low stock, shortages, late orders',
      to: '/messages?view=alerts',
      urgent: (alerts.data?.items.length ?? 0) > 0,
    },
    {
      id: 'backorders',
      label: 'Backorders waiting',
      count: countLabel(waiting.data),
      hint: 'order lines waiting for supply',
      to: '/backorders',
      urgent: false,
    },
    {
      id: 'unpromised',
      label: 'Need a decision',
      count:
        unpromised.data === undefined ? '…' : countLabel({ ...unpromised.data, items: undecided }),
      hint: 'lines with no date',
      to: '/backorders#decisions',
      urgent: undecided.length > 0,
    },
    {
      id: 'purchase-orders',
      label: 'Due this week',
      count: countLabel(due.data),
      hint: 'purchase orders expected',
      to: '/purchasing',
      urgent: false,
    },
    {
      id: 'messages',
      label: 'Messages failing',
      count: countLabel(failing.data),
      hint: 'to retry',
      to: '/messages?view=outbox&state=dead',
      urgent: (failing.data?.items.length ?? 0) > 0,
    },
  ];

  return (
    <>
      <PageTitle>Today</PageTitle>
      <CountCards cards={cards} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Stack gap="md">
          <TodaySection
            id="alerts"
            title="Open alerts"
            more={{ label: 'All alerts', to: '/messages?view=alerts' }}
            query={alerts}
          >
            <AlertsList alerts={alerts.data?.items ?? []} shown={SHOWN} />
          </TodaySection>
          <TodaySection
            id="failing"
            title="Messages failing"
            more={{ label: 'Outbox', to: '/messages?view=outbox&state=dead' }}
            query={failing}
          >
            <FailingMessages messages={failing.data?.items ?? []} shown={SHOWN} />
          </TodaySection>
        </Stack>
        <Stack gap="md">
          <TodaySection
            id="decisions"
            title="Lines with no date"
            more={{ label: 'Decide on backorders', to: '/backorders#decisions' }}
            query={unpromised}
          >
            <WaitingList
              lines={undecided}
              shown={SHOWN}
              label="Lines with no date, needing a decision"
              empty="Every waiting line has a date or a decision"
            />
          </TodaySection>
          <TodaySection
            id="waiting"
            title="Backorders waiting"
            more={{ label: 'Backorder queue', to: '/backorders' }}
            query={waiting}
          >
            <WaitingList
              lines={waiting.data?.items ?? []}
              shown={SHOWN}
              label="Backorders waiting longest"
              empty="No order is waiting for supply"
            />
          </TodaySection>
          <TodaySection
            id="due"
            title="Purchase orders due this week"
            more={{ label: 'Purchasing', to: '/purchasing' }}
            query={due}
          >
            <PurchaseOrdersDue orders={due.data?.items ?? []} />
          </TodaySection>
        </Stack>
      </SimpleGrid>
    </>
  );
}
