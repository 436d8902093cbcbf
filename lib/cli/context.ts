/**
 * The connection every command shares: `--url` (or STREAMBED_URL, default the local stack's
 * http://127.0.0.1:8080) and `--region`. The SDK decides auth from the URL: none on this machine,
 * SigV4 with the default AWS credential chain for a deployed stack (docs/client.md).
 */
import { Streambed } from '../client';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  url?: string;
  region?: string;
}

export function connect(options: GlobalOptions): Streambed {
  const url = options.url ?? process.env.STREAMBED_URL ?? DEFAULT_URL;
  return new Streambed({ url, region: options.region });
}
