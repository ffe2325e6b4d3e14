// The operator channel: how `npm run repl` reaches a single-process platform started by
// `npm start` (no TRANSPORTER). Both sides use Moleculer's TCP transporter, bound to 127.0.0.1
// only and without UDP discovery: the platform dials the operator's port (a fixed node id at a
// known port, tried every gossip period), the operator answers, and they exchange node info as
// any two Moleculer nodes do. Nobody off this machine can connect to either side.
import { Server } from "node:net";
import { Transporters } from "moleculer";

/** The node id the REPL takes on the operator channel (one attached REPL at a time). */
export const OPERATOR_NODE_ID = "marquee-operator";

class LoopbackTcpTransporter extends Transporters.TCP {
  // Moleculer's TCP transporter listens on every interface and has no option for the address:
  // its listen() is given 127.0.0.1 for the one synchronous call that opens the server.
  startTcpServer(): Promise<void> {
    const listen = Server.prototype.listen;
    Server.prototype.listen = function (this: Server, options: unknown, ...rest: unknown[]) {
      const loopback = typeof options === "object" && options !== null ? { ...options, host: "127.0.0.1" } : options;
      return (listen as (...args: unknown[]) => Server).call(this, loopback, ...rest);
    } as typeof listen;
    try {
      return super.startTcpServer();
    } finally {
      Server.prototype.listen = listen;
    }
  }
}

/** The platform's side: a random loopback port, dialling the operator at `operatorPort`. */
export function platformChannel(operatorPort: number): InstanceType<typeof Transporters.TCP> {
  return new LoopbackTcpTransporter({ udpDiscovery: false, port: 0, urls: `127.0.0.1:${operatorPort}/${OPERATOR_NODE_ID}`, gossipPeriod: 1 });
}

/** The operator's side: listens on `operatorPort` and learns the platform when it calls. */
export function operatorChannel(operatorPort: number): InstanceType<typeof Transporters.TCP> {
  return new LoopbackTcpTransporter({ udpDiscovery: false, port: operatorPort, gossipPeriod: 1 });
}
