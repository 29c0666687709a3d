import { Anchor } from '@mantine/core';
import { Link } from 'react-router';

/** The item's own screen, named by the item: where to act on what a report shows. */
export function ItemLink({ sku, name }: { sku: string; name?: string }) {
  return (
    <Anchor component={Link} to={`/items/${encodeURIComponent(sku)}`} size="sm" c="indigo.8">
      {name === undefined ? sku : `${name} (${sku})`}
    </Anchor>
  );
}
