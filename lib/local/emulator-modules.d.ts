/**
 * Type declarations for the two embedded emulators, which ship none. Only the parts lib/local uses
 * are declared; see node_modules/dynalite/index.js and node_modules/s3rver/lib/s3rver.js.
 */

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in-memory when omitted. */
    path?: string;
    /** Milliseconds a table stays CREATING / DELETING / UPDATING (default 500 each). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
    ssl?: boolean;
  }

  /** An unstarted http.Server whose close() also closes the LevelDB store. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { RequestListener, Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    /**
     * Starts listening; resolves with the bound address. Beware: a listen error (EADDRINUSE) is
     * not passed to the promise but thrown as an unhandled 'error' event.
     */
    run(): Promise<AddressInfo>;
    /** The Koa request listener, to mount on a server of one's own. */
    callback(): RequestListener;
    close(): Promise<void>;
    httpServer?: Server;
  }
  export = S3rver;
}
