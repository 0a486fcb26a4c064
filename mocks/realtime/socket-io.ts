/**
 * Socket.IO 0.9 packets, the framing the ACS signaling client's Trouter connection speaks over its
 * WebSocket (chat-sdk-in-browser.md §5.3): `type:id[+]:endpoint:data`, where a `+` after the id asks
 * for an acknowledgement. Only the types the emulation sends or reads are named.
 */
export interface SocketIoPacket {
  type: number;
  /** The message id, when the sender numbered it. */
  id?: string;
  /** The sender wants an ack packet carrying this id (`5:3+::...`). */
  wantsAck: boolean;
  data: string;
}

export const packetType = { disconnect: 0, connect: 1, heartbeat: 2, message: 3, event: 5, ack: 6 } as const;

const packetPattern = /^(\d+):(\d*)(\+?):[^:]*:?([\s\S]*)$/;

/** Parses one frame; undefined when it is not a Socket.IO 0.9 packet. */
export function parsePacket(frame: string): SocketIoPacket | undefined {
  const match = packetPattern.exec(frame);
  if (!match) return undefined;
  return { type: Number(match[1]), id: match[2] || undefined, wantsAck: match[3] === '+', data: match[4] ?? '' };
}

export const packets = {
  connect: () => '1::',
  heartbeat: () => '2::',
  message: (data: string) => `3:::${data}`,
  event: (name: string, args: unknown[]) => `5:::${JSON.stringify({ name, args })}`,
  /** Acknowledges packet `id` with these arguments (`6:::4+[]`). */
  ack: (id: string, args: unknown[] = []) => `6:::${id}+${JSON.stringify(args)}`,
};
