/**
 * Mints a development token for any principal, signed with the configured HS256 secret:
 *
 *   npm run token -- --role SELLER --sub sell-2003 [--ttl 1h]
 *
 * Refused in production, where tokens come from the marketplace's identity provider.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '../src/auth/role';
import { isSubject, SUBJECT_MAX_LENGTH } from '../src/auth/subject';
import { issueToken } from '../src/auth/token-issuer';
import { loadConfig } from '../src/config';

/** A token for the principal `args` name, or why there is none. */
export async function mintToken(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ token: string } | { refused: string }> {
  let values: { role?: string; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return { refused: (error as Error).message };
  }
  const config = loadConfig(env);
  if (config.production || !config.auth.jwtSecret)
    return { refused: 'tokens are not minted in production: they come from the identity provider' };
  const role = ROLES.find((known) => known === values.role);
  if (!role) return { refused: `--role must be one of ${ROLES.join(', ')}` };
  if (values.sub === undefined || !isSubject(values.sub))
    return { refused: `--sub must be 1 to ${SUBJECT_MAX_LENGTH} characters without control characters` };
  const ttl = values.ttl ?? '30d';
  if (!/^\d+\s?(s|m|h|d|w)$/.test(ttl)) return { refused: '--ttl must be a number with s, m, h, d or w' };
  const token = await issueToken(
    config.auth.jwtSecret,
    { role, subject: values.sub },
    { expiresIn: ttl, issuer: config.auth.issuer, audience: config.auth.audience },
  );
  return { token };
}

if (require.main === module) {
  mintToken(process.argv.slice(2), process.env).then(
    (outcome) => {
      if ('token' in outcome) {
        process.stdout.write(`${outcome.token}\n`);
      } else {
        process.stderr.write(`token: ${outcome.refused}\n`);
        process.exitCode = 2;
      }
    },
    (error: unknown) => {
      process.stderr.write(`token: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
