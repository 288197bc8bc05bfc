// Users of the live engine: one User participant per HTTP request or WebSocket, whose messages
// from the gateway are handed to the transport that serves the real client.
import type { Message } from "../engine/messages";
import type { Ctx, Input, Participant } from "../engine/participant";
import type { ParticipantRef } from "../trace/types";

export class UserClient implements Participant {
  readonly ref: ParticipantRef;

  constructor(
    id: string,
    /** Returns true when the exchange is over (the participant then stops taking messages). */
    private readonly onMessage: (msg: Message) => boolean,
  ) {
    this.ref = { role: "User", id };
  }

  handle(input: Input, ctx: Ctx): void {
    if (input.kind !== "message") return;
    if (this.onMessage(input.msg)) ctx.close();
  }
}
