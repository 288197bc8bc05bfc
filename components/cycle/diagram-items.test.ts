import { describe, expect, it } from "vitest";
import { nameWithText } from "./diagram-items";

describe("accessible names of drawn items", () => {
  it("keeps a description that already holds the shown text", () => {
    expect(nameWithText("#5 Wake: Gateway → Actor Workflow", "Wake")).toBe("#5 Wake: Gateway → Actor Workflow");
    expect(nameWithText("#9 note over Actor Workflow: No runners available, Start pending", "No runners available, Start pending")).toBe(
      "#9 note over Actor Workflow: No runners available, Start pending",
    );
    // An unlabelled relay shows no text.
    expect(nameWithText("#25 CommandStartActor (relay): Runner Workflow → Runner WS", "")).toBe(
      "#25 CommandStartActor (relay): Runner Workflow → Runner WS",
    );
  });

  it("puts the shown text first when the description does not say it", () => {
    expect(nameWithText("#74 CommandStopActor (relay): Runner Workflow → Runner WS", "Proxy StopActor (from before)")).toBe(
      "Proxy StopActor (from before) — #74 CommandStopActor (relay): Runner Workflow → Runner WS",
    );
  });
});
