import { Tabs, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../../components';
import { AlertsPanel } from './alerts-panel';
import { OutboxPanel } from './outbox-panel';
import { TemplatesPanel } from './templates-panel';

const VIEWS = ['outbox', 'alerts', 'templates'] as const;
type View = (typeof VIEWS)[number];

/** Messages and alerts: the outbox and its failures, staff alerts, and the templates' words. */
export default function MessagesScreen() {
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((v) => v === params.get('view')) ?? 'outbox';
  // The tab is in the URL, so a link (from Today, or an alert's "Emails") opens it.
  // Panels stay in the page for the tabs to point at; only the current one loads anything.
  const show = (next: string | null, extra: Record<string, string> = {}) =>
    setParams(new URLSearchParams({ view: next ?? 'outbox', ...extra }));

  return (
    <>
      <PageTitle>Messages and alerts</PageTitle>
      <Tabs value={view} onChange={(next) => show(next)}>
        <Tabs.List mb="md">
          <Tabs.Tab value="outbox">Outbox</Tabs.Tab>
          <Tabs.Tab value="alerts">Alerts</Tabs.Tab>
          <Tabs.Tab value="templates">Templates</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="outbox">
          <Title order={2} size="h3" mb="sm">
            Outbox
          </Title>
          {view === 'outbox' && <OutboxPanel />}
        </Tabs.Panel>
        <Tabs.Panel value="alerts">
          <Title order={2} size="h3" mb="sm">
            Alerts
          </Title>
          {view === 'alerts' && (
            <AlertsPanel onShowEmails={(id) => show('outbox', { alert: String(id) })} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="templates">
          <Title order={2} size="h3" mb="sm">
            Templates
          </Title>
          {view === 'templates' && <TemplatesPanel />}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
