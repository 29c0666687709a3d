import { Badge, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A state in words on a tinted background, in dark text: the light variant's own coloured
 * text fails WCAG contrast on its tint for most colours (yellow, orange, green, blue). It
 * never shrinks below its words, which a narrow table cell would otherwise cut.
 */
export function ToneBadge({ color, children }: { color: MantineColor; children: ReactNode }) {
  return (
    <Badge color={color} variant="light" c="dark.8" style={{ minWidth: 'max-content' }}>
      {children}
    </Badge>
  );
}
