// The reference flows as text, for tests only: Vite (and so Vitest) reads them through `?raw`;
// the Next.js build does not need to.
import ideal from "./reference/ideal-serverless-flow.mmd?raw";
import messy from "./reference/messy-serverless-flow.mmd?raw";

export const referenceFlow = { ideal, messy } as const;
