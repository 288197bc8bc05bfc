// The workloads: the same steps, through the same client calls, on either engine. Each one drives
// its own actor (and its own pool for the runner clients), so its cycles can be paired across the
// two recordings by the actor's cycle ordinal.
import type { EngineCalls } from "./engine-calls";
import type { ClientDriver } from "./runner-clients";
import type { ClientAnswer, WorkloadName } from "./types";

export const BURST_SIZE = 5;
/** Sleep-and-wake rounds of the repeated-wakes workload: enough to see a backoff grow. */
export const WAKE_ROUNDS = 3;

interface Steps {
  driver: ClientDriver;
  calls: EngineCalls;
  answers: ClientAnswer[];
}

/** Runs one workload; the actor is known as soon as it exists, so a later failure still names it. */
export async function runWorkload(name: WorkloadName, driver: ClientDriver, calls: EngineCalls, key: string, onActor: (actorId: string) => void): Promise<ClientAnswer[]> {
  const steps: Steps = { driver, calls, answers: [] };
  const actorId = await driver.createActor(key);
  onActor(actorId);
  await STEPS[name](steps, actorId);
  return steps.answers;
}

const ask = async (steps: Steps, work: Promise<ClientAnswer>) => void steps.answers.push(await work);

/** Asks the actor to sleep and waits until the engine has it asleep. */
async function putToSleep(steps: Steps, actorId: string): Promise<void> {
  await ask(steps, steps.driver.askToSleep(actorId));
  await steps.driver.waitAsleep(actorId);
}

const STEPS: Record<WorkloadName, (steps: Steps, actorId: string) => Promise<void>> = {
  async wake(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await putToSleep(steps, actorId);
    await ask(steps, steps.driver.request(actorId));
  },
  async sleep(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await putToSleep(steps, actorId);
  },
  async "request-after-sleep"(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await ask(steps, steps.driver.askToSleep(actorId));
    // As soon as the client stops the actor, before the engine has it asleep.
    await steps.driver.waitStopped(actorId, 1);
    await ask(steps, steps.driver.request(actorId));
  },
  async burst(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await putToSleep(steps, actorId);
    const burst = await Promise.all(Array.from({ length: BURST_SIZE }, () => steps.driver.request(actorId)));
    steps.answers.push(...burst);
  },
  async "repeated-wakes"(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    for (let round = 0; round < WAKE_ROUNDS; round++) {
      await putToSleep(steps, actorId);
      await ask(steps, steps.driver.request(actorId));
    }
  },
  async "runner-disconnect"(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await steps.driver.disconnect();
    await ask(steps, steps.driver.request(actorId));
  },
  async "pool-drain"(steps, actorId) {
    await ask(steps, steps.driver.request(actorId));
    await steps.driver.drain(actorId);
    await ask(steps, steps.driver.request(actorId));
  },
};
