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
      zoom: 1.5,
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
      new URLSearchParams("detail=everything&runners=x&hide=RWS,Nope,RWS&hideTypes=Ok,<script>&at=-3&sel=1.5&win=0&tz=mars&rate=3&through=x&zoom=9000"),
    );
    expect(state).toEqual({ ...DEFAULT_VIEW_STATE, hiddenRoles: ["RunnerWS"], hiddenTypes: ["Ok"] });
  });

  it("keeps the zoom as a percent or a fit, and 100% as the default", () => {
    expect(writeViewState(new URLSearchParams(""), { ...DEFAULT_VIEW_STATE, zoom: 0.5 }).toString()).toBe("zoom=50");
    expect(writeViewState(new URLSearchParams(""), { ...DEFAULT_VIEW_STATE, zoom: "width" }).toString()).toBe("zoom=width");
    expect(writeViewState(new URLSearchParams(""), { ...DEFAULT_VIEW_STATE, zoom: 1 }).toString()).toBe("");
    expect(parseViewState(new URLSearchParams("zoom=page")).zoom).toBe("page");
    expect(parseViewState(new URLSearchParams("zoom=250")).zoom).toBe(2.5);
    expect(parseViewState(new URLSearchParams("zoom=100")).zoom).toBeNull();
    expect(parseViewState(new URLSearchParams("zoom=5")).zoom).toBeNull();
  });

  it("accepts full role names too and orders hidden lifelines as the diagram does", () => {
    expect(parseViewState(new URLSearchParams("hide=SE,Gateway,U")).hiddenRoles).toEqual(["User", "Gateway", "ServerlessEndpoint"]);
  });
});
