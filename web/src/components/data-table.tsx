import { Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useRef } from 'react';
import classes from './data-table.module.css';

export interface DataTableColumn<Row> {
  /** Stable id of the column (React key). */
  id: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** A CSS grid track: '12rem', 'minmax(8rem, 1fr)'… Defaults to 1fr. */
  width?: string;
  align?: 'start' | 'end' | 'center';
}

interface DataTableProps<Row> {
  /** Names the table for assistive technology ("Stock levels"). */
  label: string;
  columns: DataTableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** All rows there are, when more than loaded (announced as aria-rowcount). */
  totalRows?: number;
  /** Height of the scrolling area; rows are only rendered where they are visible. */
  height?: number | string;
  rowHeight?: number;
  /** Called when the user scrolls near the last loaded row: load the next page. */
  onEndReached?: () => void;
  empty?: ReactNode;
}

/**
 * A virtualised table: only the visible rows are in the DOM, so 100,000 rows scroll as
 * smoothly as 100. It stays a real <table> (laid out as CSS grid so rows can be positioned),
 * with aria-rowcount/aria-rowindex telling assistive technology where the visible rows are.
 */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  totalRows,
  height = 600,
  rowHeight = 40,
  onEndReached,
  empty,
}: DataTableProps<Row>) {
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const endReached = useRef(onEndReached);
  endReached.current = onEndReached;
  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 20) endReached.current?.();
  }, [lastIndex, rows.length]);

  const template = columns.map((column) => column.width ?? 'minmax(0, 1fr)').join(' ');
  const align = (column: DataTableColumn<Row>) => ({ textAlign: column.align ?? 'start' }) as const;
  return (
    <section
      ref={scrollRef}
      className={classes.scroll}
      style={{ height }}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the keyboard must be able to scroll it (axe scrollable-region-focusable)
      tabIndex={0}
      aria-label={label}
    >
      <table
        className={classes.table}
        aria-label={label}
        aria-rowcount={(totalRows ?? rows.length) + 1}
      >
        <thead className={classes.head}>
          <tr aria-rowindex={1} className={classes.row} style={{ gridTemplateColumns: template }}>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={classes.cell} style={align(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={classes.body} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={rowKey(row)}
                aria-rowindex={item.index + 2}
                className={classes.row}
                style={{
                  gridTemplateColumns: template,
                  height: item.size,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {columns.map((column) => (
                  <td key={column.id} className={classes.cell} style={align(column)}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && (empty ?? <Text p="md">No rows.</Text>)}
    </section>
  );
}
