// Who is who: participant references of the engine's fixed and per-entity instances.
import type { ParticipantRef, Role } from "../../trace/types";

export function ref(role: Role, id: string): ParticipantRef {
  return { role, id };
}

export const GATEWAY: ParticipantRef = { role: "Gateway", id: "gateway" };
export const API: ParticipantRef = { role: "API", id: "api" };
export const actorWorkflow = (actorId: string): ParticipantRef => ({ role: "ActorWorkflow", id: actorId });
export const runnerWorkflow = (runnerId: string): ParticipantRef => ({ role: "RunnerWorkflow", id: runnerId });
export const runnerWs = (connId: string): ParticipantRef => ({ role: "RunnerWS", id: connId });
export const serverless = (pool: string): ParticipantRef => ({ role: "Serverless", id: pool });
export const endpoint = (pool: string): ParticipantRef => ({ role: "ServerlessEndpoint", id: pool });
