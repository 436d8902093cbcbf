/**
 * Reading a Secrets Manager secret (the Upstash-compatible API's Basic-auth credentials, read by
 * its Lambda authorizer). The only Secrets Manager call of the product; failures become 503.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { unavailable } from '../errors';

let client: SecretsManagerClient | undefined;

/** The secret's current string value. */
export async function readSecretString(secretId: string): Promise<string> {
  client ??= new SecretsManagerClient({ maxAttempts: 3 });
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (out.SecretString === undefined) throw new Error('the secret has no string value');
    return out.SecretString;
  } catch (err) {
    throw unavailable('Secrets Manager GetSecretValue', err);
  }
}
