import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Period } from './period';
import { useLocations } from './use-locations';

interface PeriodPickerProps {
  period: Period;
  onChange: (period: Partial<Period>) => void;
  /** Said under the inputs: what an empty date means for this report. */
  hint?: string;
}

/**
 * From and to as native date inputs: keyboard and screen-reader friendly everywhere, and
 * they emit only whole dates. A "to" before "from" is sent as is: the API's own message
 * says what is wrong, so the screen never disagrees with it.
 */
export function PeriodPicker({ period, onChange, hint }: PeriodPickerProps) {
  return (
    <>
      <TextInput
        type="date"
        label="From"
        value={period.from}
        onChange={(event) => onChange({ from: event.currentTarget.value })}
        description={hint}
        // Mantine's dimmed grey is below WCAG AA contrast on white.
        styles={{ description: { color: 'var(--mantine-color-gray-7)' } }}
      />
      <TextInput
        type="date"
        label="To"
        value={period.to}
        onChange={(event) => onChange({ to: event.currentTarget.value })}
      />
    </>
  );
}

export function LocationFilter({
  value,
  onChange,
}: {
  value: string;
  onChange: (location: string) => void;
}) {
  const locations = useLocations();
  const options = [
    { value: '', label: 'All locations' },
    ...(locations.data ?? []).map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
  ];
  return (
    <NativeSelect
      label="Location"
      value={value}
      data={options}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

/** A link styled as a button: the browser downloads the file the API names. */
export function CsvDownload({ href, disabled }: { href: string; disabled?: boolean }) {
  if (disabled)
    return (
      <Button variant="default" disabled>
        Download CSV
      </Button>
    );
  return (
    <Button component="a" href={href} download variant="default">
      Download CSV
    </Button>
  );
}

/** The row of filters above a report. */
export function ReportControls({ children }: { children: ReactNode }) {
  return (
    <Group align="flex-end" gap="md" mb="md" wrap="wrap">
      {children}
    </Group>
  );
}
