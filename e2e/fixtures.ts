import { test as base } from "@playwright/test";
import { WakelineApi } from "./api";
import { DiagramPage } from "./pages/DiagramPage";
import { HomePage } from "./pages/HomePage";

interface Fixtures {
  api: WakelineApi;
  homePage: HomePage;
  diagramPage: DiagramPage;
}

export const test = base.extend<Fixtures>({
  api: async ({ request }, use) => {
    await use(new WakelineApi(request));
  },
  homePage: async ({ page }, use) => {
    await use(new HomePage(page));
  },
  diagramPage: async ({ page }, use) => {
    await use(new DiagramPage(page));
  },
});

export { expect } from "@playwright/test";
