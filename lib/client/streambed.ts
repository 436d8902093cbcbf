/**
 * The SDK's entry point, like kafkajs's `new Kafka(...)`: one object per API, handing out
 * producers, consumers and admin clients that share its transport (URL, auth, fetch).
 *
 * Auth: a URL on this machine (127.0.0.1, localhost) is the local stack and gets no credentials;
 * any other URL is a deployed stack and every request is SigV4-signed for `execute-api` with the
 * default AWS credential chain, the region taken from the URL (or `region`). `credentials: false`
 * turns signing off, explicit credentials turn it on (even locally), and `{ username, password }`
 * sends HTTP Basic auth (the local stack's STREAMBED_BASIC_AUTH).
 *
 * @example
 * import { Streambed } from 'streambed/client';
 * const streambed = new Streambed({ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com' });
 * const producer = streambed.producer({ lingerMs: 10 });
 * await producer.send({ topic: 'orders', messages: [{ key: 'user-1', value: 'hello' }] });
 */
import { Admin } from './admin';
import { Consumer, type ConsumerOptions } from './consumer';
import { StreambedClientError } from './errors';
import { Producer, type ProducerOptions } from './producer';
import { DEFAULT_RETRY, type RetryOptions } from './retry';
import {
  basicAuthSigner,
  isLocalUrl,
  regionFromUrl,
  sigV4Signer,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type RequestSigner,
} from './signing';
import { TopicMetadata } from './topic-metadata';
import { Transport, type FetchFn } from './transport';

export interface StreambedOptions {
  /** The API's base URL: the stack's `ApiUrl` output, or the local stack's `http://127.0.0.1:8080`. */
  url: string;
  /**
   * Default: none for a local URL, else the AWS default credential chain (SigV4).
   * `false`: never sign. AWS credentials or a provider: SigV4 with them. `{ username, password }`: HTTP Basic.
   */
  credentials?: false | AwsCredentials | AwsCredentialsProvider | { username: string; password: string };
  /** Region for SigV4 when the URL does not name one (a custom domain). Default: from the URL, else AWS_REGION. */
  region?: string;
  /** A signer of your own (e.g. a token for a custom authorizer); wins over `credentials`. */
  signer?: RequestSigner;
  /** The fetch to use (default: the global one). Handy to add headers, count or intercept calls. */
  fetch?: FetchFn;
  /** Retry settings for every client made from this one (kafkajs's `retry`), overridable per client. */
  retry?: RetryOptions;
  /** Per-request limit without a response (default 60 s). */
  requestTimeoutMs?: number;
  /** How long a topic's partition count is cached for the producer's partitioner (default 5 min). */
  metadataMaxAge?: number;
}

export class Streambed {
  readonly url: string;
  /** Whether requests are signed or carry credentials. */
  readonly authenticated: boolean;
  private readonly transport: Transport;
  private readonly retryOptions: RetryOptions;
  private readonly metadata: TopicMetadata;

  constructor(options: StreambedOptions) {
    if (!options || typeof options.url !== 'string') throw new StreambedClientError('INVALID_REQUEST', 'new Streambed({ url }) needs the API URL');
    const signer = options.signer ?? chooseSigner(options);
    this.url = options.url;
    this.authenticated = signer !== undefined;
    this.transport = new Transport({ url: options.url, fetch: options.fetch, signer, requestTimeoutMs: options.requestTimeoutMs });
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.metadata = new TopicMetadata(this.transport, this.retryOptions, options.metadataMaxAge);
  }

  producer(options: ProducerOptions = {}): Producer {
    return new Producer(this.transport, this.metadata, { ...options, retry: { ...this.retryOptions, ...options.retry } });
  }

  consumer(options: ConsumerOptions): Consumer {
    return new Consumer(this.transport, { ...options, retry: { ...this.retryOptions, ...options.retry } });
  }

  admin(options: { retry?: RetryOptions } = {}): Admin {
    return new Admin(this.transport, { ...this.retryOptions, ...options.retry });
  }
}

function chooseSigner(options: StreambedOptions): RequestSigner | undefined {
  const { credentials } = options;
  if (credentials === false) return undefined;
  if (credentials && typeof credentials === 'object' && 'username' in credentials) return basicAuthSigner(credentials.username, credentials.password);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (err) {
    throw new StreambedClientError('INVALID_REQUEST', `url "${options.url}" is not a valid URL`, { cause: err });
  }
  if (credentials === undefined && isLocalUrl(url)) return undefined;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const region = options.region ?? regionFromUrl(url) ?? env?.AWS_REGION ?? env?.AWS_DEFAULT_REGION;
  if (!region) {
    throw new StreambedClientError('INVALID_REQUEST', `cannot tell the AWS region of ${url.host} for SigV4 signing: pass { region }, or credentials: false for an API without IAM auth`);
  }
  return sigV4Signer({ region, credentials });
}
