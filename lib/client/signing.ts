/**
 * Request signing. Against a deployed stack (API Gateway with IAM auth) every request is signed
 * with AWS Signature Version 4 for the service `execute-api`, with credentials from the default
 * AWS chain (environment, SSO, shared config and credentials files, web identity, ECS/EC2
 * metadata) unless given. The signing packages are loaded lazily, on the first signed request, so
 * a client that never signs (the local stack, a browser behind a custom authorizer) never loads
 * them: they are the only node-leaning dependencies of the SDK.
 *
 * Packages (see docs/client.md, "Signing"): `@smithy/signature-v4` (the AWS SDK v3's own signer),
 * `@aws-crypto/sha256-js` (pure-JS SHA-256, works on every runtime), and
 * `@aws-sdk/credential-provider-node` (the default chain; only when no credentials are given).
 */
import { StreambedClientError } from './errors';

/** AWS credentials, structurally the same as the AWS SDK's `AwsCredentialIdentity`. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Resolves credentials for each request; it should cache and refresh them itself (the default chain does). */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** What a signer sees of a request: exactly what will be sent. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Returns the headers to add to the request (e.g. `authorization`, `x-amz-date`). */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

export interface SigV4SignerOptions {
  /** AWS region of the API, e.g. `eu-west-1`. */
  readonly region: string;
  /** Default `execute-api`. */
  readonly service?: string;
  /** Default: the AWS default credential provider chain. */
  readonly credentials?: AwsCredentials | AwsCredentialsProvider;
  /** The signing time (default: now). Tests fix it. */
  readonly now?: () => Date;
}

/** Signs with SigV4; the signing packages load on the first call. */
export function sigV4Signer(options: SigV4SignerOptions): RequestSigner {
  const service = options.service ?? 'execute-api';
  let loaded: Promise<(request: SignableRequest) => Promise<Record<string, string>>> | undefined;

  const load = async (): Promise<(request: SignableRequest) => Promise<Record<string, string>>> => {
    const [{ SignatureV4 }, { Sha256 }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js')]);
    const credentials = options.credentials ?? (await import('@aws-sdk/credential-provider-node')).defaultProvider();
    const signer = new SignatureV4({ service, region: options.region, credentials, sha256: Sha256, applyChecksum: false });
    return async (request) => {
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of request.url.searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      const signed = await signer.sign(
        {
          method: request.method,
          protocol: request.url.protocol,
          hostname: request.url.hostname,
          port: request.url.port === '' ? undefined : Number(request.url.port),
          path: request.url.pathname,
          query,
          // `host` is what fetch sends for this URL (with the port when it is not the default).
          headers: { ...request.headers, host: request.url.host },
          body: request.body,
        },
        { signingDate: options.now?.() ?? new Date() },
      );
      const added: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed.headers)) {
        const name = k.toLowerCase();
        if (name !== 'host' && request.headers[name] !== v) added[name] = v;
      }
      return added;
    };
  };

  return async (request) => {
    loaded ??= load();
    loaded.catch(() => {
      loaded = undefined; // a failed load (missing package) is retried on the next request
    });
    try {
      return await (await loaded)(request);
    } catch (err) {
      if (err instanceof StreambedClientError) throw err;
      throw new StreambedClientError('UNAUTHORIZED', `could not sign the request with SigV4: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  };
}

/** HTTP Basic auth (the local stack's STREAMBED_BASIC_AUTH). */
export function basicAuthSigner(username: string, password: string): RequestSigner {
  const token = base64Utf8(`${username}:${password}`);
  return async () => ({ authorization: `Basic ${token}` });
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The region in an API Gateway URL (`https://{id}.execute-api.{region}.amazonaws.com`), if there is one. */
export function regionFromUrl(url: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1];
}

/** A URL whose host is this machine: the local stack, which needs no signing. */
export function isLocalUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host.endsWith('.localhost');
}
