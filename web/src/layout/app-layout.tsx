import { AppShell, Burger, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { LiveProvider } from '../live/live-provider';
import { screens } from '../routes';
import { AppHeader } from './app-header';
import classes from './app-layout.module.css';
import { RouteFallback } from './route-fallback';

function navPath(path: string): string {
  return path.replace(/\/\*$/, '');
}

function isCurrent(path: string, pathname: string): boolean {
  if (path === '/') return pathname === '/';
  return pathname === path || pathname.startsWith(`${path}/`);
}

/** The signed-in frame: header, sidebar with every screen, and the screen in <main>. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  return (
    <LiveProvider>
      <a href="#main" className={classes.skip}>
        Skip to main content
      </a>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <AppHeader />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
          {screens
            .filter((screen) => screen.nav)
            .map((screen) => {
              const to = navPath(screen.path);
              const current = isCurrent(to, pathname);
              return (
                <NavLink
                  key={to}
                  component={Link}
                  to={to}
                  label={screen.label}
                  active={current}
                  // Filled: the light variant's hover tint leaves its text under 4.5:1 contrast.
                  variant="filled"
                  aria-current={current ? 'page' : undefined}
                  onClick={close}
                />
              );
            })}
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            <a href="/docs">API reference</a>
          </Text>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} className={classes.main}>
          <Suspense fallback={<RouteFallback />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </LiveProvider>
  );
}
