import { SignJWT } from 'jose';
import type { Role } from './role';

/**
 * Signs HS256 tokens with the shared secret: the demo tokens printed at start-up and tokens made
 * by tests. Production tokens come from the marketplace's identity provider.
 */
export async function issueToken(
  secret: string,
  claims: { role: Role; subject: string },
  options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '30d');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
