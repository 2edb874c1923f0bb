import type { RequestHandlers } from "../../src/server/http1.ts";

/** The server's handlers for a test that serves plain HTTP only: an upgrade reaching them is a test failure. */
export function httpOnly(handler: (request: Request) => Response | Promise<Response>): RequestHandlers {
  return {
    http: (request) => handler(request),
    upgrade: () => {
      throw new Error("this test serves plain HTTP only");
    },
  };
}
