// Users of the live engine: one User participant per HTTP request or WebSocket, whose messages
// from the gateway are handed to the transport that serves the real client.
import type { Delivered, OutsideParticipant, OutsidePort } from "../engine/core/module";
import type { Message } from "../engine/messages";
import type { ParticipantRef } from "../trace/types";

export class UserClient implements OutsideParticipant {
  readonly ref: ParticipantRef;

  constructor(
    id: string,
    /** Returns true when the exchange is over (the participant then stops taking messages). */
    private readonly onMessage: (msg: Message) => boolean,
  ) {
    this.ref = { role: "User", id };
  }

  receive(input: Delivered, port: OutsidePort): void {
    if (this.onMessage(input.msg)) port.close();
  }
}
