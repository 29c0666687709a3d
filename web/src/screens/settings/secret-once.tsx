import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

interface SecretOnceProps {
  /** What the secret is ("API key for Web shop"). */
  title: string;
  secret: string;
  onDone(): void;
}

/**
 * A secret the server shows once and stores only as a hash: it must be copied now, so it
 * stays on screen until the admin says they have it.
 */
/** The tint's own title colour is under 4.5:1 on its background (axe color-contrast). */
const ALERT_TITLE = { title: { color: 'var(--mantine-color-text)' } };

export function SecretOnce({ title, secret, onDone }: SecretOnceProps) {
  return (
    <Alert styles={ALERT_TITLE} color="yellow" title={title} role="status">
      <Stack gap="xs">
        <Text size="sm">Copy it now and store it somewhere safe. It will not be shown again.</Text>
        <Code block data-testid="secret-once">
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" onClick={copy} color={copied ? 'teal' : undefined}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
