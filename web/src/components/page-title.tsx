import { Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';

/**
 * The screen's one <h1>, and the browser tab's title with it ("Stock · Stockroom"), so
 * screen readers announce where a navigation landed. `title` overrides the tab text when
 * the heading holds more than text.
 */
export function PageTitle({ children, title }: { children: ReactNode; title?: string }) {
  const text = title ?? (typeof children === 'string' ? children : undefined);
  useEffect(() => {
    document.title = text ? `${text} · Stockroom` : 'Stockroom';
  }, [text]);
  return (
    <Title order={1} mb="md">
      {children}
    </Title>
  );
}
