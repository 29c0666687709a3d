import { Group, NativeSelect } from '@mantine/core';
import type { Counter, CounterOption } from './counter-choice';

/** The till's channel and store: native selects, quick to change by keyboard. */
export function CounterSettings({
  counter,
  options,
  onChange,
}: {
  counter: Counter;
  options: CounterOption[];
  onChange: (next: Partial<Counter>) => void;
}) {
  const channel = options.find((o) => o.code === counter.channel);
  return (
    <Group gap="md" align="flex-end">
      <NativeSelect
        label="Selling on"
        value={counter.channel}
        data={options.map((o) => ({ value: o.code, label: `${o.name} (${o.code})` }))}
        onChange={(e) => {
          const next = options.find((o) => o.code === e.currentTarget.value);
          onChange({ channel: e.currentTarget.value, location: next?.locations[0]?.code ?? '' });
        }}
      />
      <NativeSelect
        label="Store"
        value={counter.location}
        data={(channel?.locations ?? []).map((l) => ({
          value: l.code,
          label: `${l.name} (${l.code})`,
        }))}
        onChange={(e) => onChange({ location: e.currentTarget.value })}
      />
    </Group>
  );
}
