/**
 * Posts a body larger than a server should read to a webhook path over a real connection, as a client
 * that keeps sending until it is answered: how a test tells a server that refuses early from one that
 * reads the whole body first.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";

export interface OversizedAnswer {
  status: number;
  /** Bytes of the body the client had handed to its socket when the answer arrived. */
  sentWhenAnswered: number;
}

/**
 * Streams `size` bytes to `path`, 64 KiB at a time as the socket takes them, with a Content-Length or
 * (`chunked`) without one, as a `push` delivery with a signature that matches nothing, and stops
 * sending once the answer arrives.
 */
export function postOversized(
  port: number,
  path: string,
  size: number,
  chunked: boolean,
): Promise<OversizedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path,
      agent: false,
      headers: {
        "content-type": "application/json",
        "x-github-delivery": randomUUID(),
        "x-github-event": "push",
        "x-hub-signature-256": "sha256=00",
        ...(chunked ? {} : { "content-length": String(size) }),
      },
    });
    const chunk = Buffer.alloc(64 * 1024, " ");
    let sent = 0;
    let answered = false;
    req.once("response", (response) => {
      answered = true;
      response.resume();
      resolve({ status: response.statusCode ?? 0, sentWhenAnswered: sent });
    });
    // Writing on after the server closed the connection fails; only an error before the answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}
