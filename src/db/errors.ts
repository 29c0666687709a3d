/**
 * Recognise constraint violations from either driver. Use cases rely on conditional
 * statements, so these surface only when two requests race to create the same thing
 * or when a CHECK constraint stops a write that slipped past the code.
 */
type DriverError = { code?: unknown; constraint?: unknown };

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export function isCheckViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23514' || code === 'SQLITE_CONSTRAINT_CHECK';
}
