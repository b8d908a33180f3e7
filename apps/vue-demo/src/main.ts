import { crispSetup } from "@crisp-data/demo-shared/config";
import { CrispDataPlugin } from "@crisp-data/vue";
import { createApp } from "vue";
import App from "./App.vue";
import "@crisp-data/demo-shared/styles.css";

const setup = crispSetup();

createApp(App, { setup })
  .use(CrispDataPlugin, { websiteId: setup.websiteId, load: true, scriptUrl: setup.scriptUrl })
  .mount("#app");
