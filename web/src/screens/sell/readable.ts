/**
 * Mantine draws input descriptions in its dimmed grey, which fails axe's contrast check
 * (3.3:1 on white); the counter's hints are read in a hurry, so they get a darker grey.
 */
export const readableDescription = {
  description: { color: 'var(--mantine-color-gray-7)' },
} as const;
