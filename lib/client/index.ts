/**
 * `streambed/client`: the TypeScript SDK. See docs/client.md.
 *
 * @example
 * import { Streambed } from 'streambed/client';
 * const streambed = new Streambed({ url: 'http://127.0.0.1:8080' });
 */
export { Streambed, type StreambedOptions } from './streambed';
export { Producer, CompressionTypes, type CompressionType, type ProducerOptions } from './producer';
export { Consumer, type ConsumerOptions, type ConsumerRunConfig, type ConsumerEvents } from './consumer';
export {
  Admin,
  type GroupOverview,
  type GroupPartitionOffset,
  type ITopicConfig,
  type PartitionOffsets,
  type PartitionRecords,
  type TopicConfig,
  type TopicDescription,
} from './admin';
export { StreambedClientError, isStreambedClientError, type ClientErrorCode } from './errors';
export { retry, backoffDelay, DEFAULT_RETRY, type RetryOptions } from './retry';
export { sigV4Signer, basicAuthSigner, type AwsCredentials, type AwsCredentialsProvider, type RequestSigner, type SignableRequest, type SigV4SignerOptions } from './signing';
export type { FetchFn } from './transport';
export type * from './types';
