// A WhatsApp Web WebSocket server on loopback that does enough of the real protocol for the real
// Baileys to show a pairing QR: the Noise XX handshake (Noise_XX_25519_AESGCM_SHA256, WhatsApp's
// prologue and frame layout), a certificate chain, then one encrypted binary node: the
// `pair-device` iq carrying the QR refs. Built from Baileys' own primitives (curve25519, HKDF,
// AES-GCM, protobufs, binary nodes), so the bytes are exactly what the library reads.
//
// The chain is signed by a root of our own. Baileys 7.0.0-rc14 accepts it: its `Curve.verify` only
// catches a throw, and libsignal's `verifySignature` returns false for a bad signature instead of
// throwing, so the pinned WhatsApp root key is never really checked (noted in docs/channels.md).

import { createHmac } from "node:crypto";
import {
  aesDecryptGCM,
  aesEncryptGCM,
  type BinaryNode,
  Curve,
  decodeBinaryNode,
  encodeBinaryNode,
  hkdf,
  NOISE_MODE,
  NOISE_WA_HEADER,
  proto,
  sha256,
  WA_ADV_ACCOUNT_SIG_PREFIX,
  WA_CERT_DETAILS,
} from "baileys";
import { Buffer } from "node:buffer";

type KeyPair = { private: Uint8Array; public: Uint8Array };

/** The fake root that signs the server's certificate chain. */
const ROOT: KeyPair = Curve.generateKeyPair();

const iv = (counter: number) => {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(8, counter);
  return bytes;
};

/** The server's half of WhatsApp's Noise handshake and transport. */
class NoiseServer {
  #hash: Buffer;
  #salt: Buffer;
  #key: Buffer;
  #counter = 0;
  #send: { key: Buffer; counter: number } | undefined;
  #receive: { key: Buffer; counter: number } | undefined;

  constructor() {
    const mode = Buffer.from(NOISE_MODE);
    this.#hash = mode.byteLength === 32 ? mode : sha256(mode);
    this.#salt = this.#hash;
    this.#key = this.#hash;
    this.#authenticate(NOISE_WA_HEADER);
  }

  #authenticate(data: Uint8Array): void {
    this.#hash = sha256(Buffer.concat([this.#hash, data]));
  }

  authenticate(data: Uint8Array): void {
    this.#authenticate(data);
  }

  mix(shared: Uint8Array): void {
    const key = hkdf(Buffer.from(shared), 64, { salt: this.#salt, info: "" });
    this.#salt = Buffer.from(key.subarray(0, 32));
    this.#key = Buffer.from(key.subarray(32));
    this.#counter = 0;
  }

  encrypt(plain: Uint8Array): Buffer {
    if (this.#send) return aesEncryptGCM(plain, this.#send.key, iv(this.#send.counter++), Buffer.alloc(0));
    const sealed = aesEncryptGCM(plain, this.#key, iv(this.#counter++), this.#hash);
    this.#authenticate(sealed);
    return sealed;
  }

  decrypt(sealed: Uint8Array): Buffer {
    if (this.#receive) return aesDecryptGCM(sealed, this.#receive.key, iv(this.#receive.counter++), Buffer.alloc(0));
    const plain = aesDecryptGCM(sealed, this.#key, iv(this.#counter++), this.#hash);
    this.#authenticate(sealed);
    return plain;
  }

  /** Transport keys: the client writes with the first half, reads with the second. */
  finish(): void {
    const key = hkdf(Buffer.alloc(0), 64, { salt: this.#salt, info: "" });
    this.#receive = { key: Buffer.from(key.subarray(0, 32)), counter: 0 };
    this.#send = { key: Buffer.from(key.subarray(32)), counter: 0 };
  }
}

/** The certificate chain a WhatsApp server sends, signed by {@link ROOT}. */
function certificateChain(serverStatic: KeyPair): Uint8Array {
  const intermediate = Curve.generateKeyPair();
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 1,
    issuerSerial: WA_CERT_DETAILS.SERIAL,
    key: intermediate.public,
  }).finish();
  const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 2,
    issuerSerial: 1,
    key: serverStatic.public,
  }).finish();
  return proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: Curve.sign(ROOT.private, intermediateDetails) },
    leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
  }).finish();
}

/** A frame as WhatsApp sends it: a 3-byte length, then the bytes. */
function frame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 + data.byteLength);
  out[0] = (data.byteLength >> 16) & 0xff;
  out[1] = (data.byteLength >> 8) & 0xff;
  out[2] = data.byteLength & 0xff;
  out.set(data, 3);
  return out;
}

/** What the fake server saw. */
export interface FakeWaServer {
  /** `ws://127.0.0.1:<port>/ws/chat`, for `OPENCLAW_WHATSAPP_WEB_SOCKET_URL`. */
  url: string;
  /** ClientHellos received (a client reached the server and spoke WhatsApp's prologue). */
  hellos: number;
  /** Client handshakes completed (ClientFinish decrypted). */
  handshakes: number;
  /** Binary nodes the client sent after the handshake. */
  nodes: BinaryNode[];
  /** The registration payloads clients sent (a new device asks to register). */
  registrations: number;
  /** Login payloads (a linked device coming back). */
  logins: number;
  /**
   * The phone scans `qr` (Baileys' `…#ref,noiseKey,identityKey,advSecret`): the server sends `pair-success`
   * for `jid`, then asks for a restart (stream error 515) once Baileys signs the device identity.
   */
  scan(qr: string, jid: string): void;
  close(): Promise<void>;
}

/** Starts the server; each connection gets the handshake, then `pair-device` with `refs`. */
export function startFakeWaServer(refs: readonly string[] = ["ref-one", "ref-two"]): FakeWaServer {
  const sockets = new Set<WebSocket>();
  /** Each connection past its handshake: how to send it a node. */
  const connections = new Set<{ send(node: BinaryNode): void; restartAfterSign: boolean }>();
  const state: FakeWaServer = {
    url: "",
    hellos: 0,
    handshakes: 0,
    nodes: [],
    registrations: 0,
    logins: 0,
    scan: (qr, jid) => {
      const connection = [...connections].at(-1);
      if (!connection) throw new Error("no connection to pair");
      const parts = qr.split("#").at(-1)!.split(",");
      const identity = Buffer.from(parts[2]!, "base64");
      const advSecret = Buffer.from(parts[3]!, "base64");
      const deviceDetails = proto.ADVDeviceIdentity.encode({
        rawId: 7,
        timestamp: Math.floor(Date.now() / 1000),
        keyIndex: 1,
      })
        .finish();
      const account = Curve.generateKeyPair();
      const details = proto.ADVSignedDeviceIdentity.encode({
        details: deviceDetails,
        accountSignatureKey: account.public,
        accountSignature: Curve.sign(
          account.private,
          Buffer.concat([WA_ADV_ACCOUNT_SIG_PREFIX, deviceDetails, identity]),
        ),
      }).finish();
      const hmac = createHmac("sha256", advSecret).update(details).digest();
      connection.send({
        tag: "iq",
        attrs: { from: "s.whatsapp.net", type: "set", id: "pair-2", t: String(Math.floor(Date.now() / 1000)) },
        content: [{
          tag: "pair-success",
          attrs: {},
          content: [
            {
              tag: "device-identity",
              attrs: {},
              content: proto.ADVSignedDeviceIdentityHMAC.encode({ details, hmac }).finish(),
            },
            { tag: "platform", attrs: { name: "android" } },
            { tag: "device", attrs: { jid, lid: "99887766:7@lid" } },
          ],
        }],
      });
      connection.restartAfterSign = true;
    },
    close: async () => {
      for (const socket of sockets) socket.close();
      await server.shutdown();
    },
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.binaryType = "arraybuffer";
    sockets.add(socket);
    socket.onclose = () => sockets.delete(socket);
    const noise = new NoiseServer();
    const ephemeral = Curve.generateKeyPair();
    const serverStatic = Curve.generateKeyPair();
    let buffered = new Uint8Array(0);
    let stage: "hello" | "finish" | "transport" = "hello";
    let introSeen = false;
    const onFrame = async (data: Uint8Array) => {
      if (stage === "hello") {
        const hello = proto.HandshakeMessage.decode(data).clientHello;
        const clientEphemeral = hello?.ephemeral;
        if (!clientEphemeral) return socket.close();
        state.hellos++;
        noise.authenticate(clientEphemeral);
        noise.authenticate(ephemeral.public);
        noise.mix(Curve.sharedKey(ephemeral.private, clientEphemeral));
        const staticSealed = noise.encrypt(serverStatic.public);
        noise.mix(Curve.sharedKey(serverStatic.private, clientEphemeral));
        const payload = noise.encrypt(certificateChain(serverStatic));
        const reply = proto.HandshakeMessage.encode({
          serverHello: { ephemeral: ephemeral.public, static: staticSealed, payload },
        }).finish();
        socket.send(frame(reply));
        stage = "finish";
        return;
      }
      if (stage === "finish") {
        const finish = proto.HandshakeMessage.decode(data).clientFinish;
        if (!finish?.static || !finish.payload) return socket.close();
        const clientStatic = noise.decrypt(finish.static);
        noise.mix(Curve.sharedKey(ephemeral.private, clientStatic));
        const clientPayload = proto.ClientPayload.decode(noise.decrypt(finish.payload));
        noise.finish();
        state.handshakes++;
        stage = "transport";
        connections.add(connection);
        socket.addEventListener("close", () => connections.delete(connection));
        if (!clientPayload.devicePairingData) {
          // A linked device logging in: the server says so, and the connection opens.
          state.logins++;
          connection.send({
            tag: "success",
            attrs: { t: String(Math.floor(Date.now() / 1000)), lid: "99887766:7@lid" },
          });
          return;
        }
        state.registrations++;
        const pair: BinaryNode = {
          tag: "iq",
          attrs: { from: "s.whatsapp.net", type: "set", id: "pair-1", xmlns: "md" },
          content: [{
            tag: "pair-device",
            attrs: {},
            content: refs.map((ref) => ({ tag: "ref", attrs: {}, content: Buffer.from(ref) })),
          }],
        };
        socket.send(frame(noise.encrypt(encodeBinaryNode(pair))));
        return;
      }
      const node = await decodeBinaryNode(noise.decrypt(data));
      state.nodes.push(node);
      answer(node);
    };
    const connection = {
      send: (node: BinaryNode) => socket.send(frame(noise.encrypt(encodeBinaryNode(node)))),
      restartAfterSign: false,
    };
    /** Answers the client's queries enough for it to carry on: pre-key count, and an empty result otherwise. */
    const answer = (node: BinaryNode) => {
      if (node.tag !== "iq") return;
      const children = Array.isArray(node.content) ? node.content : [];
      if (children.some((child) => child.tag === "pair-device-sign") && connection.restartAfterSign) {
        connection.restartAfterSign = false;
        connection.send({ tag: "stream:error", attrs: { code: "515" } });
        return;
      }
      if (node.attrs.type !== "get" && node.attrs.type !== "set") return;
      const count = children.some((child) => child.tag === "count");
      connection.send({
        tag: "iq",
        attrs: { from: "s.whatsapp.net", type: "result", id: node.attrs.id ?? "" },
        ...(count ? { content: [{ tag: "count", attrs: { value: "50" } }] } : {}),
      });
    };
    socket.onmessage = async (event) => {
      let bytes = new Uint8Array(event.data as ArrayBuffer);
      if (!introSeen) {
        // The client's first bytes: WhatsApp's prologue ("WA", version, dictionary version).
        if (bytes[0] !== 0x57 || bytes[1] !== 0x41) return socket.close();
        bytes = bytes.subarray(NOISE_WA_HEADER.byteLength);
        introSeen = true;
      }
      const joined = new Uint8Array(buffered.byteLength + bytes.byteLength);
      joined.set(buffered);
      joined.set(bytes, buffered.byteLength);
      buffered = joined;
      while (buffered.byteLength >= 3) {
        const size = (buffered[0]! << 16) | (buffered[1]! << 8) | buffered[2]!;
        if (buffered.byteLength < size + 3) break;
        const data = buffered.slice(3, size + 3);
        buffered = buffered.slice(size + 3);
        await onFrame(data);
      }
    };
    return response;
  });
  state.url = `ws://127.0.0.1:${server.addr.port}/ws/chat`;
  return state;
}
