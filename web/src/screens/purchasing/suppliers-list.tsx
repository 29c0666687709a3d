import { Anchor, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';
import {
  DataTable,
  type DataTableColumn,
  EmptyState,
  ErrorPanel,
  formatQuantity,
} from '../../components';
import { type Supplier, useSuppliers } from './purchasing-api';

const columns: DataTableColumn<Supplier>[] = [
  {
    id: 'code',
    header: 'Code',
    width: '8rem',
    cell: (s) => (
      <Anchor component={Link} to={`/purchasing/suppliers/${encodeURIComponent(s.code)}`}>
        {s.code}
      </Anchor>
    ),
  },
  { id: 'name', header: 'Name', cell: (s) => s.name },
  { id: 'email', header: 'Email', cell: (s) => s.email },
  {
    id: 'lead',
    header: 'Lead time',
    width: '8rem',
    align: 'end',
    cell: (s) => `${s.leadTimeDays} days`,
  },
  {
    id: 'moq',
    header: 'Min. order',
    width: '7rem',
    align: 'end',
    cell: (s) => formatQuantity(s.minOrderQuantity),
  },
  {
    id: 'pack',
    header: 'Case pack',
    width: '7rem',
    align: 'end',
    cell: (s) => formatQuantity(s.casePack),
  },
];

/** The suppliers; each opens on its performance and what it sells. */
export function SuppliersList() {
  const suppliers = useSuppliers();
  return (
    <Stack>
      <Title order={2}>Suppliers</Title>
      {suppliers.error ? (
        <ErrorPanel
          error={suppliers.error}
          title="Suppliers could not be loaded"
          onRetry={() => suppliers.refetch()}
        />
      ) : (
        <DataTable
          label="Suppliers"
          columns={columns}
          rows={suppliers.data?.items ?? []}
          rowKey={(s) => s.code}
          height={400}
          empty={<EmptyState title={suppliers.isPending ? 'Loading…' : 'No suppliers yet'} />}
        />
      )}
    </Stack>
  );
}
