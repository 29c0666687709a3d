import { Badge, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A state in words on a tinted background. The text takes the colour's darkest shade: the
 * light variant's own text (shade 6 on shade 0) fails WCAG contrast for yellow, orange and
 * green. It never shrinks below its words, which a narrow table cell would otherwise cut.
 */
export function ToneBadge({ color, children }: { color: MantineColor; children: ReactNode }) {
  return (
    <Badge color={color} variant="light" c={`${color}.9`} style={{ minWidth: 'max-content' }}>
      {children}
    </Badge>
  );
}
