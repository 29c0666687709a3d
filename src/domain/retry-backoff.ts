/**
 * When a failed delivery is tried again: exponential backoff (base, 2×base, 4×base …) up
 * to a ceiling, with ±20% jitter so that messages failing together (a receiver down) do
 * not all come back at the same instant. After `maxAttempts` it is a dead letter.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
}

export type RetryDecision = { retry: true; delaySeconds: number } | { retry: false };

/**
 * `attempts` counts the attempts made so far, this failed one included; `random` is in
 * [0, 1) (Math.random in production, fixed in tests).
 */
export function afterFailure(
  attempts: number,
  policy: RetryPolicy,
  permanent: boolean,
  random: number,
): RetryDecision {
  if (permanent || attempts >= policy.maxAttempts) return { retry: false };
  const exponential = policy.baseSeconds * 2 ** (attempts - 1);
  const capped = Math.min(policy.maxSeconds, exponential);
  return { retry: true, delaySeconds: capped * (0.8 + 0.4 * random) };
}
