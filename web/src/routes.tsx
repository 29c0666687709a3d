import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';

/**
 * The screens, each in its own folder and chunk (loaded when first opened). One line per
 * screen, so branches adding screens merge cleanly. `nav` puts it in the sidebar.
 */
export interface ScreenRoute {
  path: string;
  label: string;
  nav: boolean;
  load: () => Promise<{ default: ComponentType }>;
}

export const screens: ScreenRoute[] = [
  { path: '/', label: 'Today', nav: true, load: () => import('./screens/today') },
  { path: '/stock', label: 'Stock', nav: true, load: () => import('./screens/stock') },
  { path: '/items/:sku', label: 'Item', nav: false, load: () => import('./screens/item') },
  { path: '/sell', label: 'Sell', nav: true, load: () => import('./screens/sell') },
  {
    path: '/backorders',
    label: 'Backorders',
    nav: true,
    load: () => import('./screens/backorders'),
  },
  {
    path: '/purchasing/*',
    label: 'Purchasing',
    nav: true,
    load: () => import('./screens/purchasing'),
  },
  {
    path: '/messages',
    label: 'Messages and alerts',
    nav: true,
    load: () => import('./screens/messages'),
  },
  { path: '/reports/*', label: 'Reports', nav: true, load: () => import('./screens/reports') },
  { path: '/settings/*', label: 'Settings', nav: true, load: () => import('./screens/settings') },
];

export function screenRoutes(): RouteObject[] {
  return screens.map(({ path, load }) => ({
    path,
    lazy: async () => ({ Component: (await load()).default }),
  }));
}
