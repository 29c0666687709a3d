import { Button, Group } from '@mantine/core';
import { Link, Route, Routes, useLocation } from 'react-router';
import { PageTitle } from '../../components';
import { NewOrder } from './new-order';
import { OrderDetail } from './order-detail';
import { OrdersList } from './orders-list';
import { ReceiveOrder } from './receive-order';
import { Suggestions } from './suggestions';
import { SupplierDetail } from './supplier-detail';
import { SuppliersList } from './suppliers-list';

const SECTIONS = [
  {
    to: '/purchasing',
    label: 'Purchase orders',
    current: (p: string) => !/^\/purchasing\/(suppliers|suggestions)/.test(p),
  },
  {
    to: '/purchasing/suppliers',
    label: 'Suppliers',
    current: (p: string) => p.startsWith('/purchasing/suppliers'),
  },
  {
    to: '/purchasing/suggestions',
    label: 'Suggested orders',
    current: (p: string) => p.startsWith('/purchasing/suggestions'),
  },
];

/** Purchasing: purchase orders, suppliers and replenishment's suggestions, one sub-route each. */
export default function PurchasingScreen() {
  const { pathname } = useLocation();
  return (
    <>
      <PageTitle>Purchasing</PageTitle>
      <Group component="nav" aria-label="Purchasing sections" gap="xs" mb="md">
        {SECTIONS.map((section) => {
          const current = section.current(pathname);
          return (
            <Button
              key={section.to}
              component={Link}
              to={section.to}
              variant={current ? 'filled' : 'default'}
              aria-current={current ? 'page' : undefined}
            >
              {section.label}
            </Button>
          );
        })}
      </Group>
      <Routes>
        <Route index element={<OrdersList />} />
        <Route path="orders/new" element={<NewOrder />} />
        <Route path="orders/:id" element={<OrderDetail />} />
        <Route path="orders/:id/receive" element={<ReceiveOrder />} />
        <Route path="suppliers" element={<SuppliersList />} />
        <Route path="suppliers/:code" element={<SupplierDetail />} />
        <Route path="suggestions" element={<Suggestions />} />
      </Routes>
    </>
  );
}
