import { Alert, Tabs, Title } from '@mantine/core';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { PageTitle } from '../../components';
import { CatalogueSection } from './catalogue-section';
import { KeysSection } from './keys-section';
import { UsersSection } from './users-section';
import { WebhooksSection } from './webhooks-section';

const SECTIONS = [
  { path: 'users', label: 'Users', element: <UsersSection /> },
  { path: 'keys', label: 'API keys', element: <KeysSection /> },
  { path: 'catalogue', label: 'Channels and locations', element: <CatalogueSection /> },
  { path: 'webhooks', label: 'Webhooks', element: <WebhooksSection /> },
] as const;

/** Settings: admin only. Each section has its own URL (/settings/keys…) so it can be linked. */
export default function SettingsScreen() {
  const { isAdmin } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  if (!isAdmin) {
    return (
      <>
        <PageTitle>Settings</PageTitle>
        <Alert color="blue" title="Settings are for admins">
          Users, API keys, channels, locations and webhooks are managed by an admin. Ask one if
          something here needs changing.
        </Alert>
      </>
    );
  }
  const current = SECTIONS.find((s) => pathname.startsWith(`/settings/${s.path}`)) ?? SECTIONS[0];
  return (
    <>
      <PageTitle>Settings</PageTitle>
      {/* Every panel is in the page (the tabs point at them); only the current one has content. */}
      <Tabs value={current.path} onChange={(next) => navigate(`/settings/${next ?? 'users'}`)}>
        <Tabs.List mb="md">
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s.path} value={s.path}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTIONS.map((s) => (
          <Tabs.Panel key={s.path} value={s.path}>
            {s.path === current.path && (
              <>
                <Title order={2} size="h3" mb="sm">
                  {s.label}
                </Title>
                <Routes>
                  <Route index element={<Navigate to="users" replace />} />
                  <Route path={`${s.path}/*`} element={s.element} />
                </Routes>
              </>
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
