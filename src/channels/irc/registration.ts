import { type IrcLine, sanitize } from "./protocol.ts";
import type { IrcSettings } from "./settings.ts";

/** The lines that open a registration: `CAP LS` (when SASL is configured), `PASS`, `NICK`, `USER`. */
export function registrationLines(settings: IrcSettings, nick: string): string[] {
  return [
    ...(settings.sasl ? ["CAP LS 302"] : []),
    ...(settings.password ? [`PASS ${sanitize(settings.password)}`] : []),
    `NICK ${nick}`,
    `USER ${sanitize(settings.username)} 0 * :${sanitize(settings.realname)}`,
  ];
}

/** The SASL PLAIN answer to the server's `AUTHENTICATE +`. */
export function saslPlainLine(sasl: { username: string; password: string }): string {
  const { username, password } = sasl;
  return `AUTHENTICATE ${
    btoa(String.fromCharCode(...new TextEncoder().encode(`${username}\0${username}\0${password}`)))
  }`;
}

/** What one `CAP` line asks of us while negotiating SASL: a line to send, then a failure to record. */
export function capabilityStep(line: IrcLine): { send?: string; fail?: string } {
  const sub = line.params[1]?.toUpperCase();
  const list = line.params.at(-1) ?? "";
  if (sub === "LS") {
    // A multi-line LS has `*` before the last param; wait for the final line.
    if (line.params[2] === "*") return {};
    const offered = list.split(" ").map((cap) => cap.split("=")[0]);
    if (!offered.includes("sasl")) {
      return { send: "CAP END", fail: "the server does not offer SASL, which channels.irc.sasl requires" };
    }
    return { send: "CAP REQ :sasl" };
  }
  if (sub === "ACK" && list.split(" ").includes("sasl")) return { send: "AUTHENTICATE PLAIN" };
  if (sub === "NAK") return { fail: "the server refused the SASL capability" };
  return {};
}

/** The NickServ lines sent once registered: `REGISTER` (when asked to), then `IDENTIFY`. */
export function nickservLines(nickserv: IrcSettings["nickserv"]): string[] {
  if (!nickserv) return [];
  const password = sanitize(nickserv.password);
  return [
    ...(nickserv.registerEmail
      ? [`PRIVMSG ${nickserv.service} :REGISTER ${password} ${sanitize(nickserv.registerEmail)}`]
      : []),
    `PRIVMSG ${nickserv.service} :IDENTIFY ${password}`,
  ];
}
