import { Paper, Text } from '@mantine/core';
import { type ReactNode, useId } from 'react';

/**
 * A chart with a visible caption that says what it shows in words. The drawing itself is
 * hidden from assistive technology: the caption summarises it and the table below holds
 * every figure, which a screen reader can walk where it cannot walk an SVG.
 */
export function ReportFigure({ caption, children }: { caption: string; children: ReactNode }) {
  const id = useId();
  return (
    <Paper component="figure" withBorder p="md" m={0} mb="md" aria-labelledby={id}>
      {/* The keyboard layer is off in every chart: nothing in here takes focus. */}
      <div aria-hidden="true">{children}</div>
      <Text component="figcaption" id={id} size="sm" c="gray.7" mt="xs">
        {caption}
      </Text>
    </Paper>
  );
}
