import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW_STATE, nextSearch, parseViewState, writeViewState } from "./view-state";

describe("view state in the URL", () => {
  it("reads an empty query as the default view", () => {
    expect(parseViewState(new URLSearchParams(""))).toEqual(DEFAULT_VIEW_STATE);
  });

  it("round-trips every field, keeping other parameters such as the actor", () => {
    const state = {
      detail: "full",
      runners: "split",
      hiddenRoles: ["RunnerWS", "ServerlessEndpoint"],
      hiddenTypes: ["ToClientPing", "note:state"],
      at: 42,
      sel: 17,
      win: 300,
      tz: "local",
      rate: 4,
      through: 3,
    } as const;
    const params = writeViewState(new URLSearchParams("actor=actor-1"), { ...state, hiddenRoles: [...state.hiddenRoles], hiddenTypes: [...state.hiddenTypes] });
    expect(params.get("actor")).toBe("actor-1");
    expect(params.get("hide")).toBe("RWS,SE");
    expect(parseViewState(params)).toEqual(state);
  });

  it("leaves defaults out, so the plain cycle link stays plain", () => {
    expect(writeViewState(new URLSearchParams("actor=a"), DEFAULT_VIEW_STATE).toString()).toBe("actor=a");
    expect(nextSearch(new URLSearchParams("actor=a&detail=full"), { detail: "default" })).toBe("?actor=a");
    expect(nextSearch(new URLSearchParams(""), {})).toBe("");
  });

  it("ignores what it does not understand instead of failing (hand-edited links)", () => {
    const state = parseViewState(
      new URLSearchParams("detail=everything&runners=x&hide=RWS,Nope,RWS&hideTypes=Ok,<script>&at=-3&sel=1.5&win=0&tz=mars&rate=3&through=x"),
    );
    expect(state).toEqual({ ...DEFAULT_VIEW_STATE, hiddenRoles: ["RunnerWS"], hiddenTypes: ["Ok"] });
  });

  it("accepts full role names too and orders hidden lifelines as the diagram does", () => {
    expect(parseViewState(new URLSearchParams("hide=SE,Gateway,U")).hiddenRoles).toEqual(["User", "Gateway", "ServerlessEndpoint"]);
  });
});
