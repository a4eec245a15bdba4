/**
 * Logger: `debug` namespaces in protoo's style (`protoo:Peer`, `protoo:WARN:Peer`,
 * `protoo:ERROR:Peer`). Silent unless enabled with DEBUG=protoo* (Node) or
 * localStorage.debug = 'protoo*' (browser), so a hostile client's malformed frames
 * cannot flood the logs of a server that did not ask for them.
 */
import createDebug from 'debug';

const NAMESPACE = 'protoo';

export class Logger {
  readonly debug: createDebug.Debugger;
  readonly warn: createDebug.Debugger;
  readonly error: createDebug.Debugger;

  constructor(prefix: string) {
    this.debug = createDebug(`${NAMESPACE}:${prefix}`);
    this.warn = createDebug(`${NAMESPACE}:WARN:${prefix}`);
    this.error = createDebug(`${NAMESPACE}:ERROR:${prefix}`);
    this.debug.log = console.info.bind(console);
    this.warn.log = console.warn.bind(console);
    this.error.log = console.error.bind(console);
  }
}
