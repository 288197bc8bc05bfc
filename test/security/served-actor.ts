// A request that a connected runner serves: an actor created through the engine API (with the
// server's token) on that runner's pool, then reached through the gateway (which needs none).
import { expect } from "vitest";

export async function expectGatewayServed(engineUrl: string, token: string, pool: string, key: string): Promise<void> {
  const created = await fetch(`${engineUrl}/actors?namespace=default`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "a", key, runner_name_selector: pool, crash_policy: "sleep" }),
  });
  expect(created.status).toBe(200);
  const { actor } = (await created.json()) as { actor: { actor_id: string } };
  const answer = await fetch(`${engineUrl}/gateway/${actor.actor_id}/hello`);
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ actorId: actor.actor_id });
}
