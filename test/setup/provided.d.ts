/** Values the global setup (test/setup/global-setup.ts) hands to every test file through `inject`. */
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the local stack every integration test talks to, `http://127.0.0.1:<port>`. */
    baseUrl: string;
    /** That stack's STREAMBED_DATA_DIR (a fresh temp directory; unused when it runs against LocalStack). */
    dataDir: string;
  }
}
