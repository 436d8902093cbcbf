/**
 * The one way to build a Streambed Lambda: a NodejsFunction with the runtime, architecture, log
 * group, source maps and esbuild settings fixed once. The entry is `functions/<role>.ts`.
 */
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { BACKGROUND_TIMEOUTS, BUNDLED_WASM_FILES, FUNCTION_MEMORY_MB, FUNCTION_TIMEOUTS, LOG_RETENTION } from './defaults';
import { isBackgroundRole, type StreambedRole } from './roles';

/** The repository root: esbuild's working directory and the home of package-lock.json. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Gives CommonJS dependencies inside the ESM bundle what CommonJS has and ESM lacks: `require()`
 * (of Node built-ins), and `__dirname` / `__filename`, under private names that `define` maps the
 * free identifiers to (so a module that declares its own `__dirname` keeps it). The WASM codecs
 * (lz4-wasm-nodejs, @bokuweb/zstd-wasm) read their `.wasm` files from `__dirname`.
 */
export const ESM_BANNER = [
  "import { createRequire as __streambedCreateRequire } from 'node:module';",
  "import { fileURLToPath as __streambedFileURLToPath } from 'node:url';",
  "import { dirname as __streambedDirnameOf } from 'node:path';",
  'const require = __streambedCreateRequire(import.meta.url);',
  'const __streambedFilename = __streambedFileURLToPath(import.meta.url);',
  'const __streambedDirname = __streambedDirnameOf(__streambedFilename);',
].join(' ');

const CJS_GLOBALS = { __dirname: '__streambedDirname', __filename: '__streambedFilename' };

/**
 * Copies each of BUNDLED_WASM_FILES that the bundle names next to `index.mjs`, where its package
 * (bundled, `__dirname` = the bundle's directory) looks for it.
 */
const copyWasmFiles: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) =>
    BUNDLED_WASM_FILES.map((file) => {
      const name = path.posix.basename(file);
      return `if grep -qF '${name}' '${outputDir}/index.mjs'; then cp '${inputDir}/${file}' '${outputDir}/${name}'; fi`;
    }),
};

export interface StreambedFunctionProps {
  readonly role: StreambedRole;
  /** Handler file. @default functions/<role>.ts */
  readonly entry?: string;
  /** Variables the handler reads (resource names); NODE_OPTIONS is added here. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default FUNCTION_TIMEOUTS[role], or BACKGROUND_TIMEOUTS[role] for a background role */
  readonly timeout?: Duration;
  /** @default FUNCTION_MEMORY_MB */
  readonly memorySize?: number;
  /** @default LOG_RETENTION */
  readonly logRetention?: RetentionDays;
}

export class StreambedFunction extends NodejsFunction {
  /** Which routes this function serves (not to be confused with `role`, its IAM role). */
  public readonly streambedRole: StreambedRole;

  constructor(scope: Construct, id: string, props: StreambedFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? LOG_RETENTION,
      // The log group lives and dies with its function; its retention already bounds the data.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own execution role, allowed to write to its own log group only — not the managed
    // AWSLambdaBasicExecutionRole, which may create and write every log group of the account
    // (cdk-nag AwsSolutions-IAM4). Data access is added by grantRoleAccess (infra/access.ts).
    const executionRole = new Role(scope, `${id}ServiceRole`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Streambed ${props.role} function execution role`,
    });
    logGroup.grantWrite(executionRole);
    super(scope, id, {
      role: executionRole,
      description: `Streambed ${props.role} function`,
      entry: props.entry ?? path.join(PROJECT_ROOT, 'functions', `${props.role}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? (isBackgroundRole(props.role) ? BACKGROUND_TIMEOUTS[props.role] : FUNCTION_TIMEOUTS[props.role]),
      logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_BANNER,
        define: CJS_GLOBALS,
        commandHooks: copyWasmFiles,
        // The AWS SDK goes into the bundle: the lock file pins the version the tests ran against,
        // and Lambda's built-in SDK changes under us without notice.
        bundleAwsSDK: true,
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        logLevel: LogLevel.WARNING,
      },
    });
    this.streambedRole = props.role;
  }
}
