import { crispSetup } from "@crisp-data/demo-shared/config";
import { CrispDataProvider } from "@crisp-data/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { AuthProvider } from "./auth";
import "@crisp-data/demo-shared/styles.css";

const setup = crispSetup();
const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <CrispDataProvider websiteId={setup.websiteId} load scriptUrl={setup.scriptUrl}>
      <AuthProvider>
        <App setup={setup} />
      </AuthProvider>
    </CrispDataProvider>
  </StrictMode>,
);
