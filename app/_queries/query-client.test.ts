import { describe, expect, it } from "vitest";
import { ServiceError } from "@/lib/services/errors";
import { makeServerQueryClient } from "./query-client";

describe("makeServerQueryClient", () => {
  it("asks the services once: a run that does not exist fails the page at once", async () => {
    let calls = 0;
    const client = makeServerQueryClient();
    const read = client.fetchQuery({
      queryKey: ["run", "gone"],
      queryFn: async () => {
        calls++;
        throw new ServiceError("run_not_found", 404, "run gone not found");
      },
    });
    await expect(read).rejects.toMatchObject({ code: "run_not_found" });
    expect(calls).toBe(1);
  });
});
