/** The Lambda authorizer of the Upstash-compatible routes: HTTP Basic against the credentials secret. */
import { upstashAuthorizer } from '../lib/api/upstash/authorizer';
import { readSecretString } from '../lib/storage/secrets';

const secretId = process.env.STREAMBED_UPSTASH_SECRET_ARN ?? '';

export const handler = upstashAuthorizer({ loadSecret: () => readSecretString(secretId) });
