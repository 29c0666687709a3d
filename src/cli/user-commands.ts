import { text } from 'node:stream/consumers';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../access/passwords.js';
import { createUser, listUsers } from '../access/users.service.js';
import type { AppContext } from '../kernel/context.js';
import { BadRequestError } from '../shared/errors.js';

type WithContext = <T>(run: (ctx: AppContext) => Promise<T>) => Promise<T>;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function email(value: string): string {
  if (!/^[^\s@]+@[^\s@]+$/.test(value) || value.length > 254) {
    throw new InvalidArgumentError('not an email address');
  }
  return value;
}

/** `stockroom users`: staff who sign in to the staff app, through the same use cases as /v1/users. */
export function registerUserCommands(program: Command, withContext: WithContext): void {
  const users = program.command('users').description('Staff users of the staff app');
  users
    .command('create')
    .description(
      'Create a staff user. Without --password-stdin a password is generated and printed once',
    )
    .requiredOption('--email <email>', 'what they sign in with', email)
    .requiredOption('--name <name>', 'shown in the app and the ledger')
    .addOption(
      new Option('--role <role>', 'admin or staff').choices(['admin', 'staff']).default('staff'),
    )
    .option('--password-stdin', 'read the password from standard input (kept out of shell history)')
    .action(
      async (options: {
        email: string;
        name: string;
        role: 'admin' | 'staff';
        passwordStdin?: boolean;
      }) => {
        const password = options.passwordStdin ? (await text(process.stdin)).trim() : undefined;
        if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) {
          throw new BadRequestError(
            'PASSWORD_TOO_SHORT',
            `The password needs at least ${MIN_PASSWORD_LENGTH} characters`,
          );
        }
        await withContext(async (ctx) =>
          print(
            await createUser(ctx, {
              email: options.email,
              name: options.name,
              role: options.role,
              ...(password !== undefined && { password }),
            }),
          ),
        );
      },
    );

  users
    .command('list')
    .description('List staff users (never their passwords)')
    .action(async () => {
      await withContext(async (ctx) => {
        const found = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, { limit: 1000, ...(cursor && { cursor }) });
          found.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        print(found);
      });
    });
}
