/**
 * Binding servers to loopback ports, with one error type for "that port is taken" so the entry
 * point can say which setting to change.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const LOCAL_HOST = '127.0.0.1';

/** A server of the local stack could not bind its port because something else holds it. */
export class PortInUseError extends Error {
  /** Which server: 'http', 's3' or 'dynamodb'. */
  readonly service: 'http' | 's3' | 'dynamodb';
  readonly port: number;

  constructor(service: PortInUseError['service'], port: number, cause?: unknown) {
    super(`port ${port} on ${LOCAL_HOST} is already in use (${service} server)`, { cause });
    this.name = 'PortInUseError';
    this.service = service;
    this.port = port;
  }
}

export function isAddressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Listens on 127.0.0.1:`port` (0 = any free port) and resolves with the bound port. */
export function listen(server: Server, port: number, service: PortInUseError['service']): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(isAddressInUse(err) ? new PortInUseError(service, port, err) : err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, LOCAL_HOST);
  });
}

/** Closes a server; resolves once it stopped (ignores "not running"). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => {
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
  });
}
