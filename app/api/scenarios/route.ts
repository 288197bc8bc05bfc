import { listScenarios } from "@/lib/services/runs";
import { respond } from "../_lib/http";

export async function GET(): Promise<Response> {
  return respond(async () => Response.json(listScenarios()));
}
